/**
 * Per-run measurements the wrapping algorithms share: word lengths, their prefix sums (so the
 * length of any span of words is O(1)) and the score of a line break after each word.
 */
import type { Word } from '../../contract/document';
import { lineBreakScore } from './break-scores';
import { textLength } from './text-length';

export interface MeasuredWords {
  readonly words: readonly Word[];
  /** `prefix[k]` is the total length of words `0..k-1`, without spaces. */
  readonly prefix: readonly number[];
  /** `lineScores[k]` scores a line break between words `k` and `k + 1`. */
  readonly lineScores: readonly number[];
}

export function measureWords(words: readonly Word[]): MeasuredWords {
  const prefix = [0];
  const lineScores: number[] = [];
  words.forEach((word, k) => {
    prefix.push((prefix[k] ?? 0) + textLength(word.text));
    const next = words[k + 1];
    if (next) lineScores.push(lineBreakScore(word, next));
  });
  return { words, prefix, lineScores };
}

/** Length of words `a..b-1` on one line, single spaces included. */
export function spanLength(m: MeasuredWords, a: number, b: number): number {
  return (m.prefix[b] ?? 0) - (m.prefix[a] ?? 0) + (b - a - 1);
}
