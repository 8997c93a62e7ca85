import type { Segment, TranscriptDocument, Word } from '../src-main/contract/document';
import { broadcastRules } from '../src-main/engine/captions/presets';
import { emptyDocument } from '../src-main/engine/documents/build-document';
import { withStructure } from '../src-main/common/document-structure';

export interface SyntheticDocumentOptions {
  wordCount: number;
  /** The next word's text (lower case, no punctuation). */
  nextWord: () => string;
  /** A deterministic source of numbers in [0, 1), so every run builds the same document. */
  rng: () => number;
  /** A word every this many ms. */
  stepMs: number;
  /** The media's length. @default the words' length plus one second */
  durationMs?: number;
  /** ~4 % low-confidence words and a few flagged as possibly invented. @default false */
  flags?: boolean;
  /** End each segment early, leaving a pause longer than the caption rules' gap. @default false */
  pauseAfterSegment?: boolean;
}

/**
 * A transcript as the pipeline makes them after caption wrapping: segments of 6–18 words in up
 * to two lines of at most 42 characters, three speakers taking turns, a word every `stepMs`.
 * The benchmarks' stand-in for real transcripts (a 3-hour one for the editor, thousands of
 * recordings for the library).
 */
export function syntheticDocument(options: SyntheticDocumentOptions): TranscriptDocument {
  const { wordCount, nextWord, rng, stepMs: step, flags = false } = options;
  const pick = <T>(items: readonly T[]) => items[Math.floor(rng() * items.length)]!;
  const speakers = ['S1', 'S2', 'S3'];
  const segments: Segment[] = [];
  let speaker = 'S1';
  let n = 0;
  while (n < wordCount) {
    if (rng() < 0.3) speaker = pick(speakers.filter((s) => s !== speaker));
    const target = Math.min(wordCount - n, 6 + Math.floor(rng() * 13));
    const lines: Word[][] = [[]];
    let lineChars = 0;
    for (let i = 0; i < target; i += 1) {
      let text = nextWord();
      if (i === 0) text = text[0]!.toUpperCase() + text.slice(1);
      if (i === target - 1) text += pick(['.', '.', '?', '!']);
      else if (rng() < 0.06) text += ',';
      const line = lines.at(-1)!;
      if (line.length > 0 && lineChars + 1 + text.length > 42) {
        if (lines.length === 2) break;
        lines.push([]);
        lineChars = 0;
      }
      const start = n * step;
      const roll = rng();
      const weak = flags && roll < 0.04;
      lines.at(-1)!.push({
        id: `w${n + 1}`,
        text,
        start,
        end: start + step - 60,
        confidence: weak ? 0.2 + roll * 5 : 0.8 + rng() * 0.2,
        speaker,
        flags: weak ? ['low-confidence'] : flags && roll > 0.999 ? ['hallucination'] : [],
        structure: [],
        tags: [],
      });
      lineChars += (lineChars > 0 ? 1 : 0) + text.length;
      n += 1;
    }
    const last = lines.at(-1)!.at(-1)!;
    if (options.pauseAfterSegment) last.end = last.start + Math.max(100, step - 250);
    segments.push({
      id: `s${segments.length + 1}`,
      start: lines[0]![0]!.start,
      end: last.end,
      speaker,
      lines: lines.map((words) => ({ start: words[0]!.start, end: words.at(-1)!.end, words })),
    });
  }
  const head = emptyDocument({
    durationMs: options.durationMs ?? n * step + 1000,
    modelId: null,
    modelSha256: null,
    params: {},
    engineVersion: 'bench',
    captions: { preset: 'broadcast', rules: broadcastRules() },
    createdAt: new Date(0),
  });
  return withStructure({
    ...head,
    language: 'en',
    speakers: [
      { id: 'S1', name: 'Host' },
      { id: 'S2', name: 'Guest' },
      { id: 'S3', name: 'Caller' },
    ],
    segments,
    notes: [],
  });
}
