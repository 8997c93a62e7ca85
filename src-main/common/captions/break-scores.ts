/**
 * How good a place between two words is for a line break or a caption break. Higher is better.
 * A break is attractive after sentence punctuation, less so after clause punctuation, and in a
 * pause: the longer the silence, the better. The weights are tuned together with the costs in
 * `line-layout.ts` and `flow.ts`; the tests pin the behaviour they must produce.
 */
import type { Word } from '../../contract/document';

export type Punctuation = 'sentence' | 'clause' | 'none';

/** Closing quotes and brackets that may follow the punctuation ("Yes." → `Yes."`). */
const CLOSERS = /["'”’»)\]}]+$/u;
const SENTENCE_END = /[.?!…。？！]$/u;
const CLAUSE_END = /[,;:–—，、；：]$/u;

/** The punctuation a word ends with, ignoring closing quotes and brackets. */
export function trailingPunctuation(text: string): Punctuation {
  const bare = text.replace(CLOSERS, '');
  if (SENTENCE_END.test(bare)) return 'sentence';
  if (CLAUSE_END.test(bare)) return 'clause';
  return 'none';
}

/** Milliseconds of silence between `before` and `after` (0 when they touch or overlap). */
export function pauseMs(before: Word, after: Word): number {
  return Math.max(0, after.start - before.end);
}

export const breakWeights = {
  /** Line breaks: bonus after sentence punctuation. */
  lineSentence: 6,
  /** Line breaks: bonus after clause punctuation. */
  lineClause: 3,
  /** Line breaks: bonus for a pause, reached at `linePauseFullMs`. */
  linePause: 3,
  linePauseFullMs: 500,
  /** Caption breaks: bonus after sentence punctuation. */
  captionSentence: 8,
  /** Caption breaks: bonus after clause punctuation. */
  captionClause: 4,
  /**
   * Caption breaks: bonus for a pause, reached at `captionPauseFullMs`. It exceeds the cost of a
   * caption (`flow.ts`), so a clear pause ends a caption even when the text would fit in one.
   */
  captionPause: 8,
  captionPauseFullMs: 1000,
  /** Caption breaks where the words leave less than the minimum gap: the gap cannot be kept. */
  captionTightGap: -3,
} as const;

function punctuationBonus(word: Word, sentence: number, clause: number): number {
  const kind = trailingPunctuation(word.text);
  return kind === 'sentence' ? sentence : kind === 'clause' ? clause : 0;
}

/** Score of a line break between `before` and `after`, inside one caption. */
export function lineBreakScore(before: Word, after: Word): number {
  const w = breakWeights;
  const pause = Math.min(pauseMs(before, after), w.linePauseFullMs) / w.linePauseFullMs;
  return punctuationBonus(before, w.lineSentence, w.lineClause) + w.linePause * pause;
}

/** Score of ending a caption between `before` and `after`. */
export function captionBreakScore(before: Word, after: Word, minGapMs: number): number {
  const w = breakWeights;
  const gap = pauseMs(before, after);
  const pause =
    gap < minGapMs
      ? w.captionTightGap
      : (w.captionPause * Math.min(gap, w.captionPauseFullMs)) / w.captionPauseFullMs;
  return punctuationBonus(before, w.captionSentence, w.captionClause) + pause;
}
