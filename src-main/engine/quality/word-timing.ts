/**
 * Word timing error: how far the start and end times a transcript gives its words are from
 * reference word times (e.g. a forced alignment or hand labels).
 *
 * Both word lists are normalised word by word with `normalizeForWer` (a word may become several,
 * "10" → "ten", or none, "uh" → nothing; each piece keeps its word's times) and aligned with the
 * same Levenshtein alignment as WER. Only pairs that MATCH after normalisation are timed:
 * substituted words say nothing reliable about timing. A reference word paired with a hypothesis
 * word counts once, however many pieces they share.
 */
import { alignTokens } from './error-rate';
import { normalizedWords, type NormalizeOptions } from './normalize';

/** A word with its time span in milliseconds, like the transcript document's words. */
export interface TimedWord {
  text: string;
  start: number;
  end: number;
}

export interface WordPair {
  /** Index in the reference list. */
  ref: number;
  /** Index in the hypothesis list. */
  hyp: number;
}

export interface WordTimingError {
  /** Reference/hypothesis word pairs that matched and were timed. */
  matchedWords: number;
  /** Words in the reference list. */
  referenceWords: number;
  /** Mean |hypothesis start − reference start| over matched words, ms; null when none matched. */
  meanStartErrorMs: number | null;
  /** Mean |hypothesis end − reference end| over matched words, ms; null when none matched. */
  meanEndErrorMs: number | null;
  /** Largest start or end error over matched words, ms; null when none matched. */
  maxErrorMs: number | null;
}

/** The reference/hypothesis word pairs whose normalised text matches, in order. */
export function alignWords(
  reference: readonly TimedWord[],
  hypothesis: readonly TimedWord[],
  options: NormalizeOptions = {},
): WordPair[] {
  const pieces = (words: readonly TimedWord[]) => {
    const tokens: string[] = [];
    const owner: number[] = [];
    words.forEach((word, index) => {
      for (const token of normalizedWords(word.text, options)) {
        tokens.push(token);
        owner.push(index);
      }
    });
    return { tokens, owner };
  };
  const ref = pieces(reference);
  const hyp = pieces(hypothesis);
  const pairs: WordPair[] = [];
  const seen = new Set<string>();
  for (const step of alignTokens(ref.tokens, hyp.tokens)) {
    if (step.op !== 'match') continue;
    const pair = { ref: ref.owner[step.ref] as number, hyp: hyp.owner[step.hyp] as number };
    const key = `${pair.ref}:${pair.hyp}`;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push(pair);
  }
  return pairs;
}

/** Mean absolute start/end error in ms over the words `alignWords` matches. */
export function wordTimingError(
  reference: readonly TimedWord[],
  hypothesis: readonly TimedWord[],
  options: NormalizeOptions = {},
): WordTimingError {
  const pairs = alignWords(reference, hypothesis, options);
  let startSum = 0;
  let endSum = 0;
  let max = 0;
  for (const { ref, hyp } of pairs) {
    const r = reference[ref] as TimedWord;
    const h = hypothesis[hyp] as TimedWord;
    const startError = Math.abs(h.start - r.start);
    const endError = Math.abs(h.end - r.end);
    startSum += startError;
    endSum += endError;
    max = Math.max(max, startError, endError);
  }
  const n = pairs.length;
  return {
    matchedWords: n,
    referenceWords: reference.length,
    meanStartErrorMs: n === 0 ? null : startSum / n,
    meanEndErrorMs: n === 0 ? null : endSum / n,
    maxErrorMs: n === 0 ? null : max,
  };
}
