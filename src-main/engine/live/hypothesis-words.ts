import { mergeWords } from '../documents/merge-words';
import { tokenPieces } from '../documents/token-pieces';
import { wordConfidence } from '../documents/word-confidence';
import type { WhisperSegment } from '../whisper/addon';
import type { TimedWord } from './local-agreement';

/**
 * The words of one decode (segments with token timestamps), shifted by `offsetMs` into session
 * time. Word times come from their tokens; words whose tokens carry no time share their
 * segment's span evenly.
 */
export function hypothesisWords(
  segments: readonly Pick<WhisperSegment, 't0' | 't1' | 'text' | 'tokens'>[],
  offsetMs: number,
): TimedWord[] {
  const out: TimedWord[] = [];
  for (const segment of segments) {
    const words = mergeWords(tokenPieces(segment));
    const share = (segment.t1 - segment.t0) / Math.max(1, words.length);
    words.forEach((word, i) => {
      const timed = word.pieces.filter((piece) => piece.t0 !== null && piece.t1 !== null);
      const startMs = timed.length
        ? Math.min(...timed.map((piece) => piece.t0!))
        : segment.t0 + i * share;
      const endMs = timed.length
        ? Math.max(...timed.map((piece) => piece.t1!))
        : segment.t0 + (i + 1) * share;
      out.push({
        text: word.text,
        startMs: Math.round(offsetMs + startMs),
        endMs: Math.round(offsetMs + Math.max(startMs, endMs)),
        p: wordConfidence(word.pieces),
      });
    });
  }
  return out;
}
