import { z } from 'zod';

/**
 * The transcript document, version 1: Document → segments → lines → words. All times are
 * integer milliseconds from the start of the media. Segments are units of speech (a sentence or a
 * speaker turn); lines are how the segment wraps into caption lines under the document's caption
 * preset; words are the smallest editable unit and carry everything the editor shows.
 *
 * Invariants (checked by `documents/validate`): times are monotonic, every word lies inside its
 * line, every line inside its segment, and no two words overlap.
 */
export const documentSchemaId = 'https://transcription-studio.local/schemas/document-v1.json';
export const documentVersion = 1;

export const wordFlag = z.enum([
  /** Confidence under the low-confidence threshold. */
  'low-confidence',
  /** Part of an n-gram repeated beyond the limit (a decoding loop). */
  'repetition',
  /** Text on a span the VAD calls silent: likely invented. */
  'hallucination',
  /** Changed by a glossary correction rule (see `corrections`). */
  'corrected',
  /** Changed by a person in the editor. */
  'edited',
  /** Spoken while another speaker talks too (from the diarization). */
  'overlap',
]);
export type WordFlag = z.infer<typeof wordFlag>;

/** Where a word sits; derived from the structure, kept in the file for consumers of the JSON. */
export const structureTag = z.enum([
  'line-first',
  'line-last',
  'segment-first',
  'segment-last',
  'document-first',
  'document-last',
]);
export type StructureTag = z.infer<typeof structureTag>;

const ms = z.number().int().nonnegative();

export const word = z.object({
  /** Stable within the document (survives edits and re-wraps). */
  id: z.string().min(1),
  /** The word as shown, with attached punctuation, without surrounding spaces. */
  text: z.string().min(1),
  start: ms,
  end: ms,
  /** 0..1, from the probabilities of the tokens that make up the word. */
  confidence: z.number().min(0).max(1),
  /** Speaker id from `speakers`, or null when unknown. */
  speaker: z.string().nullable(),
  flags: z.array(wordFlag),
  structure: z.array(structureTag),
  /** Free semantic tags (topics, keywords, "filler", …). */
  tags: z.array(z.string()),
});
export type Word = z.infer<typeof word>;

export const line = z.object({
  start: ms,
  end: ms,
  words: z.array(word).min(1),
});
export type Line = z.infer<typeof line>;

export const segment = z.object({
  id: z.string().min(1),
  start: ms,
  end: ms,
  speaker: z.string().nullable(),
  lines: z.array(line).min(1),
});
export type Segment = z.infer<typeof segment>;

export const speaker = z.object({
  id: z.string().min(1),
  name: z.string(),
});

/** One change a glossary rule made, so the editor can show and undo it. */
export const correction = z.object({
  wordId: z.string(),
  before: z.string(),
  after: z.string(),
  /** The glossary rule that matched, as written in the glossary. */
  rule: z.string(),
});
export type Correction = z.infer<typeof correction>;

export const captionPresetId = z.enum(['broadcast', 'social', 'custom']);

export const captionRules = z.object({
  /** Characters per line, spaces included. */
  maxCharsPerLine: z.number().int().positive(),
  maxLines: z.number().int().positive(),
  /** Reading speed limit, characters per second. */
  maxCharsPerSecond: z.number().positive(),
  minDurationMs: ms,
  maxDurationMs: ms,
  /** Minimum gap between consecutive captions. */
  minGapMs: ms,
});
export type CaptionRules = z.infer<typeof captionRules>;

export const transcriptDocument = z.object({
  $schema: z.literal(documentSchemaId).optional(),
  version: z.literal(documentVersion),
  /** ISO 639-1 code of the spoken language, when known. */
  language: z.string().nullable(),
  durationMs: ms,
  speakers: z.array(speaker),
  segments: z.array(segment),
  captions: z.object({ preset: captionPresetId, rules: captionRules }),
  corrections: z.array(correction),
  /** Target words the user counts (from the glossary), with how often each occurs. */
  targetCounts: z.record(z.string(), z.number().int().nonnegative()),
  /** Things a person should know, e.g. "No speech was detected." */
  notes: z.array(z.string()),
  /** How the document was made: model, parameters, engine version. */
  source: z.object({
    modelId: z.string().nullable(),
    modelSha256: z.string().nullable(),
    engineVersion: z.string(),
    params: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  }),
});
export type TranscriptDocument = z.infer<typeof transcriptDocument>;
