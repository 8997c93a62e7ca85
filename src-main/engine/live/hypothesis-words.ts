import { mergeWords } from '../documents/merge-words';
import { MIN_WORD_MS, placeSpans, rawSpan } from '../documents/span-times';
import { tokenPieces } from '../documents/token-pieces';
import { wordConfidence } from '../documents/word-confidence';
import type { WhisperSegment } from '../whisper/addon';
import type { TimedWord } from './local-agreement';

/**
 * The words of one decode of `windowMs` of audio (segments with token timestamps), shifted by
 * `offsetMs` into session time.
 *
 * Whisper's token times are only a hint, and on a short live window they often break down: a
 * segment may claim to run past the audio it was given (the encoder is sized to the window), and
 * its last tokens all get one and the same time past the end. Clamped to the window those
 * words would have no length at all and be saved 10 ms apiece. So a segment's span is clamped to
 * the window (a segment starting after it was decoded from no audio and is dropped), its token
 * times are used when every word has a credible one (some length, inside the span), and
 * otherwise its words share the span by their length in characters, as the words of a file
 * transcription do (span-times.ts).
 */
export function hypothesisWords(
  segments: readonly Pick<WhisperSegment, 't0' | 't1' | 'text' | 'tokens'>[],
  offsetMs: number,
  windowMs: number,
): TimedWord[] {
  const out: TimedWord[] = [];
  for (const segment of segments) {
    if (!(segment.t0 < windowMs)) continue;
    const lo = Math.max(0, segment.t0);
    const hi = Math.min(windowMs, Math.max(lo, segment.t1));
    const words = mergeWords(tokenPieces(segment));
    const raw = words.map(rawSpan);
    const credible = raw.every(
      (span) =>
        span.start !== null &&
        span.end !== null &&
        span.start >= lo &&
        span.end <= hi &&
        span.end > span.start,
    );
    const spans = placeSpans(
      credible ? raw : raw.map((span) => ({ start: null, end: null, weight: span.weight })),
      lo,
      hi,
      MIN_WORD_MS,
    );
    words.forEach((word, i) => {
      const span = spans[i]!;
      out.push({
        text: word.text,
        startMs: Math.round(offsetMs + span.start),
        endMs: Math.round(offsetMs + span.end),
        p: wordConfidence(word.pieces),
      });
    });
  }
  return out;
}
