/**
 * Word and character error rates through a Levenshtein alignment.
 *
 * rate = (substitutions + deletions + insertions) / referenceLength. Substitutions, deletions and
 * insertions cost 1 each; among alignments of equal cost the backtrace prefers a match or
 * substitution, then a deletion, then an insertion (so "a b" → "x" counts 1 substitution and 1
 * deletion, not 2 deletions and 1 insertion). An empty reference gives rate 0 when the hypothesis
 * is empty too, else Infinity (every hypothesis token is an insertion against nothing); sum the
 * counts over files for a corpus rate (`combineErrorRates`) instead of averaging rates.
 *
 * Both texts are normalised with `normalizeForWer` first unless `normalize: false`, in which case
 * WER splits on whitespace and CER uses the text as given. CER counts Unicode code points of the
 * normalised text including the single spaces between words.
 *
 * Cost: time and memory grow with referenceLength × hypothesisLength (one byte per cell for the
 * backtrace); inputs over 250 million cells (e.g. two 16 000-word transcripts) are refused with
 * INVALID_ARGUMENT: score long recordings segment by segment.
 */
import { EngineError } from '../errors';
import { normalizeForWer, normalizedWords, type NormalizeOptions } from './normalize';

export interface ErrorRate {
  /** (substitutions + deletions + insertions) / referenceLength. */
  rate: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  /** Tokens (words for WER, characters for CER) in the reference. */
  referenceLength: number;
}

export interface ErrorRateOptions extends NormalizeOptions {
  /**
   * Apply `normalizeForWer` to both texts first.
   * @default true
   */
  normalize?: boolean;
}

export type AlignmentOp =
  | { op: 'match'; ref: number; hyp: number }
  | { op: 'substitute'; ref: number; hyp: number }
  | { op: 'delete'; ref: number }
  | { op: 'insert'; hyp: number };

/** Alignment cells allowed (one byte each): about 250 MB. */
const MAX_CELLS = 250_000_000;

// Backtrace directions stored per cell.
const DIAGONAL = 0;
const UP = 1; // deletion: reference token without a hypothesis token
const LEFT = 2; // insertion: hypothesis token without a reference token

/**
 * A minimum-cost alignment of two token sequences, in order. Tokens are compared with `===`.
 */
export function alignTokens<T>(reference: readonly T[], hypothesis: readonly T[]): AlignmentOp[] {
  const n = reference.length;
  const m = hypothesis.length;
  const cells = (n + 1) * (m + 1);
  if (cells > MAX_CELLS) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `The texts are too long to align in one piece (${n} × ${m} tokens); score them segment by segment.`,
      { details: { referenceLength: n, hypothesisLength: m } },
    );
  }
  const steps = new Uint8Array(cells);
  let previous = new Uint32Array(m + 1);
  let current = new Uint32Array(m + 1);
  for (let j = 0; j <= m; j++) {
    previous[j] = j;
    steps[j] = LEFT;
  }
  for (let i = 1; i <= n; i++) {
    current[0] = i;
    steps[i * (m + 1)] = UP;
    const token = reference[i - 1];
    for (let j = 1; j <= m; j++) {
      const diagonal = (previous[j - 1] as number) + (token === hypothesis[j - 1] ? 0 : 1);
      const up = (previous[j] as number) + 1;
      const left = (current[j - 1] as number) + 1;
      let best = diagonal;
      let step = DIAGONAL;
      if (up < best) {
        best = up;
        step = UP;
      }
      if (left < best) {
        best = left;
        step = LEFT;
      }
      current[j] = best;
      steps[i * (m + 1) + j] = step;
    }
    [previous, current] = [current, previous];
  }
  const ops: AlignmentOp[] = [];
  for (let i = n, j = m; i > 0 || j > 0;) {
    const step = steps[i * (m + 1) + j];
    if (i > 0 && j > 0 && step === DIAGONAL) {
      i--;
      j--;
      ops.push(
        reference[i] === hypothesis[j]
          ? { op: 'match', ref: i, hyp: j }
          : { op: 'substitute', ref: i, hyp: j },
      );
    } else if (i > 0 && (step === UP || j === 0)) {
      i--;
      ops.push({ op: 'delete', ref: i });
    } else {
      j--;
      ops.push({ op: 'insert', hyp: j });
    }
  }
  return ops.reverse();
}

/** Error counts and rate of aligning `hypothesis` to `reference`. */
export function errorRate<T>(reference: readonly T[], hypothesis: readonly T[]): ErrorRate {
  const counts = { substitutions: 0, deletions: 0, insertions: 0 };
  for (const step of alignTokens(reference, hypothesis)) {
    if (step.op === 'substitute') counts.substitutions++;
    else if (step.op === 'delete') counts.deletions++;
    else if (step.op === 'insert') counts.insertions++;
  }
  return withRate({ ...counts, referenceLength: reference.length });
}

/** Word error rate (normalised unless `normalize: false`). */
export function wer(
  reference: string,
  hypothesis: string,
  options: ErrorRateOptions = {},
): ErrorRate {
  const words = (text: string) =>
    options.normalize === false
      ? text.split(/\s+/u).filter((w) => w !== '')
      : normalizedWords(text, options);
  return errorRate(words(reference), words(hypothesis));
}

/** Character error rate over Unicode code points, spaces between words included. */
export function cer(
  reference: string,
  hypothesis: string,
  options: ErrorRateOptions = {},
): ErrorRate {
  const chars = (text: string) =>
    Array.from(options.normalize === false ? text : normalizeForWer(text, options));
  return errorRate(chars(reference), chars(hypothesis));
}

/** Corpus rate: the counts of several scores summed, and the rate of the sums. */
export function combineErrorRates(scores: readonly ErrorRate[]): ErrorRate {
  const sum = { substitutions: 0, deletions: 0, insertions: 0, referenceLength: 0 };
  for (const s of scores) {
    sum.substitutions += s.substitutions;
    sum.deletions += s.deletions;
    sum.insertions += s.insertions;
    sum.referenceLength += s.referenceLength;
  }
  return withRate(sum);
}

function withRate(counts: Omit<ErrorRate, 'rate'>): ErrorRate {
  const errors = counts.substitutions + counts.deletions + counts.insertions;
  const rate =
    counts.referenceLength === 0 ? (errors === 0 ? 0 : Infinity) : errors / counts.referenceLength;
  return { rate, ...counts };
}
