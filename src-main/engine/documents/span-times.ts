/**
 * Time repair for words and segments. Whisper's token times are approximate: they can be null
 * (token timestamps off), run backwards, overlap, fall outside their segment or have no length.
 * These functions turn them into integer-ms spans that are monotonic, inside their bounds and
 * never overlap.
 *
 * Policy, in order:
 * 1. Untimed spans share the free time between their timed neighbours (or the bounds) in
 *    proportion to their weight (the word's character count).
 * 2. Times are clamped into the bounds; starts are made non-decreasing (a start that runs
 *    backwards moves up to the start before it), and an end that runs into the next span's start
 *    is cut back to it: starts are the more reliable half of Whisper's token times.
 * 3. Every span gets at least `minMs` (10 ms for words) where room allows: first from free time
 *    right after it, then right before it; if that is not enough and the bounds hold `minMs` for
 *    every span, neighbours are pushed along (and pulled back at the upper bound). When the
 *    bounds are shorter than that, spans keep what they have and may stay shorter, down to 0.
 */
import type { DraftWord } from './merge-words';
import { isPunctuationOnly } from './punctuation';

export interface RawSpan {
  /** Start in ms, or null when unknown. */
  start: number | null;
  /** End in ms, or null when unknown. */
  end: number | null;
  /** Share of the time an untimed span gets (e.g. characters); at least 1 is used. */
  weight: number;
}

export interface Span {
  start: number;
  end: number;
}

/** The shortest a word may be where there is room. */
export const MIN_WORD_MS = 10;

/** Spans for `raw` inside [lo, hi], with the whole policy above. */
export function placeSpans(raw: readonly RawSpan[], lo: number, hi: number, minMs = 0): Span[] {
  const upper = Math.max(lo, hi);
  const filled = fillUntimed(raw, lo, upper);
  const ordered = orderSpans(filled, lo, upper);
  return minMs > 0 ? ensureMinDuration(ordered, lo, upper, minMs) : ordered;
}

/** Step 1: every span timed; timed ones are clamped into [lo, hi]. */
export function fillUntimed(raw: readonly RawSpan[], lo: number, hi: number): Span[] {
  const out: (Span | undefined)[] = raw.map((span) =>
    span.start === null || span.end === null
      ? undefined
      : {
          start: clamp(Math.min(span.start, span.end), lo, hi),
          end: clamp(Math.max(span.start, span.end), lo, hi),
        },
  );
  let freeFrom = lo;
  for (let i = 0; i < out.length;) {
    const timed = out[i];
    if (timed) {
      freeFrom = Math.max(freeFrom, timed.end);
      i++;
      continue;
    }
    let j = i;
    while (j < out.length && !out[j]) j++;
    const freeTo = Math.max(freeFrom, out[j]?.start ?? hi);
    const weights = raw.slice(i, j).map((span) => Math.max(1, span.weight));
    const total = weights.reduce((sum, w) => sum + w, 0);
    let acc = 0;
    for (let k = i; k < j; k++) {
      const start = freeFrom + Math.round(((freeTo - freeFrom) * acc) / total);
      acc += weights[k - i]!;
      const end = freeFrom + Math.round(((freeTo - freeFrom) * acc) / total);
      out[k] = { start, end };
    }
    freeFrom = freeTo;
    i = j;
  }
  return out as Span[];
}

/** Step 2: clamped, starts non-decreasing, ends cut back to the next start. */
export function orderSpans(spans: readonly Span[], lo: number, hi: number): Span[] {
  const out: Span[] = [];
  let floor = lo;
  for (const span of spans) {
    const start = Math.max(floor, clamp(span.start, lo, hi));
    const end = Math.max(start, clamp(span.end, lo, hi));
    out.push({ start, end });
    floor = start;
  }
  for (let i = 0; i + 1 < out.length; i++) {
    const span = out[i]!;
    span.end = Math.min(span.end, out[i + 1]!.start);
  }
  return out;
}

/** Step 3: at least `minMs` each where room allows; expects ordered, non-overlapping spans. */
export function ensureMinDuration(
  spans: readonly Span[],
  lo: number,
  hi: number,
  minMs: number,
): Span[] {
  const out = spans.map((span) => ({ ...span }));
  let short = false;
  for (let i = 0; i < out.length; i++) {
    const span = out[i]!;
    let need = minMs - (span.end - span.start);
    if (need <= 0) continue;
    const after = Math.min(need, (out[i + 1]?.start ?? hi) - span.end);
    span.end += Math.max(0, after);
    need -= Math.max(0, after);
    const before = Math.min(need, span.start - (out[i - 1]?.end ?? lo));
    span.start -= Math.max(0, before);
    need -= Math.max(0, before);
    if (need > 0) short = true;
  }
  if (!short || hi - lo < out.length * minMs) return out;

  // Push forward from the left, then pull back from the right. With hi - lo ≥ n·minMs the
  // backward pass never crosses lo: by induction span i ends at or after lo + (i + 1)·minMs.
  let previousEnd = lo;
  for (const span of out) {
    span.start = Math.max(span.start, previousEnd);
    span.end = Math.max(span.end, span.start + minMs);
    previousEnd = span.end;
  }
  let nextStart = hi;
  for (let i = out.length - 1; i >= 0; i--) {
    const span = out[i]!;
    span.end = Math.min(span.end, nextStart);
    span.start = Math.min(span.start, span.end - minMs);
    nextStart = span.start;
  }
  return out;
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

/** A word's time from its timed tokens, attached punctuation left out unless it is all there is. */
export function rawSpan(word: DraftWord): RawSpan {
  const timed = word.pieces.filter((piece) => piece.t0 !== null && piece.t1 !== null);
  const content = timed.filter((piece) => !isPunctuationOnly(piece.text.trim()));
  const used = content.length > 0 ? content : timed;
  const weight = [...word.text].length;
  if (used.length === 0) return { start: null, end: null, weight };
  return {
    start: Math.min(...used.map((piece) => piece.t0!)),
    end: Math.max(...used.map((piece) => piece.t1!)),
    weight,
  };
}
