/**
 * Test documents built from word lists, independent of the whisper document builder: each group
 * of words becomes one segment with one line holding all its words (as whisper output does).
 */
import {
  documentVersion,
  type CaptionRules,
  type Segment,
  type TranscriptDocument,
  type Word,
  type WordFlag,
} from '../../../contract/document';
import { broadcastRules } from '../presets';
import { withStructureTags } from '../../document-structure';

export interface WordSpec {
  text: string;
  start: number;
  end: number;
  id?: string;
  speaker?: string | null;
  confidence?: number;
  flags?: WordFlag[];
}

export interface TimedWordsOptions {
  /** @default 0 */
  start?: number;
  /** Duration of each word. @default 300 */
  wordMs?: number;
  /** Silence after each word. @default 0 */
  gapMs?: number;
  /** @default null */
  speaker?: string | null;
}

/**
 * Words of `text` (split on spaces) spoken back to back from `start`. A `|` between words marks
 * a pause: `|` adds 1000 ms of silence, `|250` adds 250 ms.
 */
export function timedWords(text: string, options: TimedWordsOptions = {}): WordSpec[] {
  const { wordMs = 300, gapMs = 0, speaker = null } = options;
  let t = options.start ?? 0;
  const words: WordSpec[] = [];
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const pause = /^\|(\d*)$/.exec(token);
    if (pause) {
      t += pause[1] ? Number(pause[1]) : 1000;
      continue;
    }
    words.push({ text: token, start: t, end: t + wordMs, speaker });
    t += wordMs + gapMs;
  }
  return words;
}

export interface MakeDocumentOptions {
  /** @default broadcastRules() */
  rules?: CaptionRules;
  /** @default the last word's end + 1000 */
  durationMs?: number;
  /** Speaker ids and display names. @default [] */
  speakers?: { id: string; name: string }[];
  /** @default 'en' */
  language?: string | null;
}

/** A valid document with one single-line segment per group; word ids are w0, w1, … unless given. */
export function makeDocument(
  groups: WordSpec[][],
  options: MakeDocumentOptions = {},
): TranscriptDocument {
  let next = 0;
  const segments: Segment[] = groups
    .filter((group) => group.length > 0)
    .map((group, index) => {
      const words: Word[] = group.map((spec) => ({
        id: spec.id ?? `w${next++}`,
        text: spec.text,
        start: spec.start,
        end: spec.end,
        confidence: spec.confidence ?? 0.95,
        speaker: spec.speaker ?? null,
        flags: spec.flags ?? [],
        structure: [],
        tags: [],
      }));
      const start = words[0]?.start ?? 0;
      const end = words.at(-1)?.end ?? 0;
      return {
        id: `s${index}`,
        start,
        end,
        speaker: words[0]?.speaker ?? null,
        lines: [{ start, end, words }],
      };
    });
  const lastEnd = segments.at(-1)?.end ?? 0;
  return {
    version: documentVersion,
    language: options.language === undefined ? 'en' : options.language,
    durationMs: options.durationMs ?? lastEnd + 1000,
    speakers: options.speakers ?? [],
    segments: withStructureTags(segments),
    captions: { preset: 'broadcast', rules: options.rules ?? broadcastRules() },
    corrections: [],
    targetCounts: {},
    notes: [],
    source: {
      modelId: 'test',
      modelSha256: null,
      engineVersion: '0.0.0-test',
      params: {},
      createdAt: '2025-01-01T00:00:00.000Z',
    },
  };
}

/** Each caption's lines as text, e.g. `[['Hello there,', 'my friend.'], ['Bye.']]`. */
export function captionLines(doc: TranscriptDocument): string[][] {
  return doc.segments.map((segment) =>
    segment.lines.map((line) => line.words.map((word) => word.text).join(' ')),
  );
}

/** All words of the document in order. */
export function allWords(doc: TranscriptDocument): Word[] {
  return doc.segments.flatMap((segment) => segment.lines.flatMap((line) => line.words));
}

/**
 * `doc` with `edit` applied to every word: return the word itself to keep it, a new word to
 * replace it, or null to delete it. Segments and lines with no edited word keep their identity,
 * as an editor's immutable update would; an emptied line stays, empty, for the re-wrap to remove.
 */
export function editWords(
  doc: TranscriptDocument,
  edit: (word: Word) => Word | null,
): TranscriptDocument {
  const segments = doc.segments.map((segment) => {
    let changed = false;
    const lines = segment.lines.map((line) => {
      const words = line.words.flatMap((word) => {
        const result = edit(word);
        if (result !== word) changed = true;
        return result ? [result] : [];
      });
      return words.length === line.words.length && words.every((w, i) => w === line.words[i])
        ? line
        : { ...line, words };
    });
    return changed ? { ...segment, lines } : segment;
  });
  return { ...doc, segments };
}
