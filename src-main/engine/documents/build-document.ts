/**
 * Whisper's result → transcript document v1 (src-main/contract/document.ts).
 *
 * One document segment per Whisper segment that has words, each with a single line holding all
 * its words; the caption wrapper splits segments and lines later. Words come from the tokens
 * (merge-words), confidences from their probabilities (word-confidence), times from their token
 * times, repaired (span-times). Ids are `${idPrefix}s${n}` for segments and `${idPrefix}w${n}` for
 * words, numbered from 1 in document order.
 */
import { z } from 'zod';
import {
  captionPresetId,
  captionRules,
  documentSchemaId,
  documentVersion,
  type Segment,
  type TranscriptDocument,
  type Word,
} from '../../contract/document';
import { EngineError } from '../errors';
import { parseOrThrow } from '../parse';
import type { TranscribeResult, WhisperSegment } from '../whisper/addon';
import { mergeWords, type DraftWord } from './merge-words';
import { MIN_WORD_MS, orderSpans, placeSpans, rawSpan } from './span-times';
import { withStructure } from '../../common/document-structure';
import { tokenPieces } from './token-pieces';
import { wordConfidence } from './word-confidence';

export interface DocumentSourceOptions {
  /** Length of the media in ms; Whisper times beyond it are clamped to it. */
  durationMs: number;
  /** Catalog id of the model, or null for an imported file without one. */
  modelId: string | null;
  modelSha256: string | null;
  /** The Whisper parameters used, kept in `source.params` (must be JSON-serialisable). */
  params: Record<string, unknown>;
  engineVersion: string;
  captions: TranscriptDocument['captions'];
  /**
   * When the document was made, for `source.createdAt`.
   * @default new Date()
   */
  createdAt?: Date;
}

export interface BuildDocumentOptions extends DocumentSourceOptions {
  /**
   * Prefix for segment and word ids, to keep ids unique when documents are combined.
   * @default ''
   */
  idPrefix?: string;
  /**
   * The speaker of a stretch of time (from diarization), asked once per segment with the
   * segment's final bounds; its words take the same speaker. Speakers are listed in order of
   * first appearance and named "Speaker 1", "Speaker 2", …
   * @default every speaker null
   */
  speakerOf?: (startMs: number, endMs: number) => string | null;
}

export const NO_SPEECH_NOTE = 'No speech was detected in this recording.';

/** whisper.cpp's marker for a window without speech; it is not a word anyone said. */
const blankAudio = /^\[BLANK_AUDIO\]$/i;

const captionsSchema = z.object({ preset: captionPresetId, rules: captionRules });

export function buildDocument(
  result: TranscribeResult,
  options: BuildDocumentOptions,
): TranscriptDocument {
  checkSourceOptions(options);
  const idPrefix = options.idPrefix ?? '';
  const spoken = result.segments
    .map((segment) => ({ segment, words: spokenWords(segment) }))
    .filter((entry) => entry.words.length > 0);
  if (spoken.length === 0) return emptyDocument({ ...options, language: result.language });

  const bounds = orderSpans(
    spoken.map(({ segment }) => ({ start: wholeMs(segment.t0), end: wholeMs(segment.t1) })),
    0,
    options.durationMs,
  );
  const speakers = new Map<string, string>();
  let wordNumber = 0;
  const segments = spoken.map(({ words: drafts }, s): Segment => {
    const { start, end } = bounds[s]!;
    const speaker = options.speakerOf?.(start, end) || null;
    if (speaker !== null && !speakers.has(speaker)) {
      speakers.set(speaker, `Speaker ${speakers.size + 1}`);
    }
    const times = placeSpans(drafts.map(rawSpan), start, end, MIN_WORD_MS);
    const words = drafts.map((draft, w): Word => ({
      id: `${idPrefix}w${++wordNumber}`,
      text: draft.text,
      start: times[w]!.start,
      end: times[w]!.end,
      confidence: wordConfidence(draft.pieces),
      speaker,
      flags: [],
      structure: [],
      tags: [],
    }));
    return {
      id: `${idPrefix}s${s + 1}`,
      start,
      end,
      speaker,
      lines: [{ start: words[0]!.start, end: words.at(-1)!.end, words }],
    };
  });

  return withStructure({
    ...documentHead(options, result.language),
    speakers: [...speakers].map(([id, name]) => ({ id, name })),
    segments,
  });
}

/** A document without words, for media in which no speech was found. */
export function emptyDocument(
  options: DocumentSourceOptions & { language?: string | null },
): TranscriptDocument {
  checkSourceOptions(options);
  return {
    ...documentHead(options, options.language ?? null),
    notes: [NO_SPEECH_NOTE],
  };
}

function documentHead(options: DocumentSourceOptions, language: string | null): TranscriptDocument {
  return {
    $schema: documentSchemaId,
    version: documentVersion,
    language,
    durationMs: options.durationMs,
    speakers: [],
    segments: [],
    captions: structuredClone(options.captions),
    corrections: [],
    targetCounts: {},
    notes: [],
    source: {
      modelId: options.modelId,
      modelSha256: options.modelSha256,
      engineVersion: options.engineVersion,
      params: { ...options.params },
      createdAt: (options.createdAt ?? new Date()).toISOString(),
    },
  };
}

function spokenWords(segment: WhisperSegment): DraftWord[] {
  return mergeWords(tokenPieces(segment)).filter((word) => !blankAudio.test(word.text));
}

function wholeMs(value: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.round(value)) : 0;
}

function checkSourceOptions(options: DocumentSourceOptions): void {
  if (!Number.isSafeInteger(options.durationMs) || options.durationMs < 0) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `durationMs must be a whole number of milliseconds ≥ 0, not ${String(options.durationMs)}.`,
    );
  }
  parseOrThrow(z.object({ captions: captionsSchema }), options, 'caption settings');
}
