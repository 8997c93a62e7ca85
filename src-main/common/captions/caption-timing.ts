/**
 * When a caption is on screen. It appears with its first word and stays at least until its last
 * word ends. If that is shorter than it takes to read (`minDurationMs`, and the text at
 * `maxCharsPerSecond`), the end is pushed later, up to `maxDurationMs` in all, but never past
 * `endLimitMs`: the next caption's start minus `minGapMs`, or the end of the media.
 *
 * Word times are never changed, so a caption never ends before its last word: where the speech
 * itself leaves less than `minGapMs` between two captions, the gap stays short (and lint says so).
 */
import type { CaptionRules } from '../../contract/document';

/** Milliseconds needed to read `chars` characters under `rules`, within the duration limits. */
export function readingTimeMs(chars: number, rules: CaptionRules): number {
  const reading = Math.ceil((chars * 1000) / rules.maxCharsPerSecond);
  return Math.min(rules.maxDurationMs, Math.max(rules.minDurationMs, reading));
}

/** The end of a caption showing `chars` characters for words spanning `startMs..lastEndMs`. */
export function captionEndMs(
  startMs: number,
  lastEndMs: number,
  chars: number,
  endLimitMs: number,
  rules: CaptionRules,
): number {
  const wanted = startMs + readingTimeMs(chars, rules);
  return Math.max(lastEndMs, Math.min(wanted, endLimitMs));
}

/** Latest end for the caption before one starting at `nextStartMs`. */
export function endLimitBefore(nextStartMs: number, rules: CaptionRules): number {
  return nextStartMs - rules.minGapMs;
}

/**
 * Characters per second of a caption showing `chars` characters for `durationMs` (at least 1 ms,
 * so a zero-length caption reads as very fast rather than infinite).
 */
export function charsPerSecond(chars: number, durationMs: number): number {
  return (chars * 1000) / Math.max(durationMs, 1);
}
