import { isPunctuationOnly } from './punctuation';
import type { TokenPiece } from './token-pieces';

/**
 * A word's confidence: the geometric mean of its tokens' probabilities, rounded to 4 decimals.
 *
 * Why the geometric mean: it is the per-token probability of the word as a whole
 * (P(word)^(1/n)), so words made of one token and of five compare fairly, and one doubtful
 * sub-word piece still pulls the word down hard (the arithmetic mean would hide it). The
 * minimum was rejected because it lets one piece decide alone and, with rare words split into
 * many pieces, flags too many correct names.
 *
 * Attached punctuation does not count unless the word is only punctuation: Whisper is often
 * unsure between "," and "." while the word itself is certain.
 */
export function wordConfidence(pieces: readonly TokenPiece[]): number {
  const content = pieces.filter((piece) => !isPunctuationOnly(piece.text.trim()));
  const counted = content.length > 0 ? content : pieces;
  if (counted.length === 0) return 0;
  let logSum = 0;
  for (const piece of counted) logSum += Math.log(piece.p); // log(0) = -Infinity → confidence 0
  const mean = Math.exp(logSum / counted.length);
  return Math.round(Math.min(1, Math.max(0, mean)) * 10_000) / 10_000;
}
