/** Small valid documents for the store's tests (real documents, checked on every read). */
import type { Segment, TranscriptDocument } from '../../../contract/document';

/** A document with the given segments and nothing else, as a job starts one. */
export const documentWith = (segments: Segment[], notes: string[] = []): TranscriptDocument => ({
  version: 1,
  language: 'en',
  durationMs: 3_600_000,
  speakers: [{ id: 'ana', name: 'Ana' }],
  segments,
  captions: {
    preset: 'broadcast',
    rules: {
      maxCharsPerLine: 42,
      maxLines: 2,
      maxCharsPerSecond: 17,
      minDurationMs: 1000,
      maxDurationMs: 7000,
      minGapMs: 80,
    },
  },
  corrections: [],
  targetCounts: {},
  notes,
  source: {
    modelId: 'base',
    modelSha256: null,
    engineVersion: 'test',
    params: {},
    createdAt: '2026-12-07T00:00:00.000Z',
  },
});

/** Segment `n` (from 1): its words 300 ms each from `n` × 10 s. */
export const segmentOf = (n: number, text: string, speaker: string | null = null): Segment => {
  const start = n * 10_000;
  const words = text.split(' ').map((word, i) => ({
    id: `w${n}-${i}`,
    text: word,
    start: start + i * 300,
    end: start + i * 300 + 250,
    confidence: 0.9,
    speaker,
    flags: [],
    structure: [],
    tags: [],
  }));
  return {
    id: `s${n}`,
    start,
    end: words.at(-1)!.end,
    speaker,
    lines: [{ start, end: words.at(-1)!.end, words }],
  };
};
