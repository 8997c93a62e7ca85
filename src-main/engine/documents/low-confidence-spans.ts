/**
 * The stretches of a document worth transcribing again with a larger model ("draft then
 * refine"): a fast model transcribes the whole file, these spans are re-run and merged back
 * with `mergeSpan`.
 *
 * Policy, in order:
 * 1. Weak segments: a segment (with words) is weak when the mean confidence of its words is
 *    below `threshold`. A segment holding a word a person has edited (`edited`) is never weak:
 *    re-transcribing it would throw the edit away. A segment's extent is from its first word's
 *    start to its last word's end (its own bounds may include reading time or silence).
 * 2. Joining: weak segments, in time order, whose extents are less than `mergeGapMs` apart form
 *    one stretch (whatever lies between them is re-run too).
 * 3. Padding: each stretch grows by `paddingMs` on both sides, for context and for Whisper's
 *    timing error; one still shorter than `minSpanMs` grows evenly about its centre to it
 *    (shifted inwards at the media edges), since a model has little to go on in a short clip.
 * 4. Clamping to the media, [0, end], where the end is `durationMs`, or the last word's end
 *    when a word runs past it.
 * 5. Snapping: an edge that falls inside a word (start < edge < end) moves out to that word's
 *    edge, so the span takes the whole word and no word is cut. Spans that now overlap or touch
 *    are joined.
 * 6. Splitting: a span longer than `maxSpanMs` (about what Whisper hears at once) is cut into
 *    pieces of about equal length, at gaps between segments (the middle of the silence between
 *    the last word of one segment and the first of the next) where there is such a gap within
 *    reach, else between two words of one segment. A single word longer than `maxSpanMs` stays
 *    whole. The pieces touch; pieces may be shorter than `minSpanMs`.
 *
 * The result is sorted and the spans do not overlap; every span edge lies outside every word
 * (or on its edge), and every word of a weak segment lies inside a span by its midpoint (the
 * rule `mergeSpan` uses), except a zero-length word sitting right on the media end.
 * Times are whole milliseconds. Pure.
 */
import type { TranscriptDocument, Word } from '../../contract/document';
import { EngineError } from '../errors';
import type { TimeSpan } from './merge-span';

export interface LowConfidenceSpanOptions {
  /** A segment whose mean word confidence is below this is re-run. */
  threshold: number;
  /**
   * Shortest span (before splitting): shorter ones grow about their centre.
   * @default 2000
   */
  minSpanMs?: number;
  /**
   * Context added on each side of a stretch of weak segments.
   * @default 500
   */
  paddingMs?: number;
  /**
   * Weak segments closer together than this are re-run as one span.
   * @default 1000
   */
  mergeGapMs?: number;
  /**
   * Longest span; longer ones are split at segment boundaries.
   * @default 30000
   */
  maxSpanMs?: number;
}

interface Settings {
  threshold: number;
  minSpanMs: number;
  paddingMs: number;
  mergeGapMs: number;
  maxSpanMs: number;
}

/** Weak stretches of the document as spans to re-run, with the policy above. */
export function lowConfidenceSpans(
  doc: TranscriptDocument,
  options: LowConfidenceSpanOptions,
): TimeSpan[] {
  const settings = checkOptions(options);
  const segments = doc.segments
    .map((segment) => segment.lines.flatMap((line) => line.words))
    .filter((words) => words.length > 0);
  const words = segments.flat();
  const mediaEnd = words.reduce((end, word) => Math.max(end, word.end), doc.durationMs);

  const weak = segments
    .filter((segmentWords) => isWeak(segmentWords, settings.threshold))
    .map((segmentWords) => ({
      startMs: segmentWords[0]!.start,
      endMs: segmentWords.at(-1)!.end,
    }))
    .sort((a, b) => a.startMs - b.startMs);
  const stretches = joinSpans(weak, settings.mergeGapMs);
  const widened = stretches.map((span) => widen(span, settings, mediaEnd));
  const snapped = joinSpans(
    widened.map((span) => snap(span, words)).sort((a, b) => a.startMs - b.startMs),
    0,
    true,
  );
  const cuts = cutPoints(segments);
  return snapped.flatMap((span) => split(span, cuts, settings.maxSpanMs));
}

function checkOptions(options: LowConfidenceSpanOptions): Settings {
  const settings: Settings = {
    threshold: options.threshold,
    minSpanMs: options.minSpanMs ?? 2000,
    paddingMs: options.paddingMs ?? 500,
    mergeGapMs: options.mergeGapMs ?? 1000,
    maxSpanMs: options.maxSpanMs ?? 30_000,
  };
  if (!Number.isFinite(settings.threshold)) {
    fail(`threshold must be a number, not ${String(settings.threshold)}`);
  }
  for (const key of ['minSpanMs', 'paddingMs', 'mergeGapMs', 'maxSpanMs'] as const) {
    const value = settings[key];
    if (!Number.isSafeInteger(value) || value < (key === 'maxSpanMs' ? 1 : 0)) {
      fail(`${key} must be a whole number of milliseconds ≥ ${key === 'maxSpanMs' ? 1 : 0}`);
    }
  }
  return settings;
}

function fail(problem: string): never {
  throw new EngineError('INVALID_ARGUMENT', `Invalid low-confidence span option: ${problem}.`);
}

function isWeak(words: readonly Word[], threshold: number): boolean {
  if (words.some((word) => word.flags.includes('edited'))) return false;
  const mean = words.reduce((sum, word) => sum + word.confidence, 0) / words.length;
  return mean < threshold;
}

/**
 * Sorted `spans` with those less than `gapMs` apart joined; with `touching`, those exactly
 * `gapMs` apart too.
 */
function joinSpans(spans: readonly TimeSpan[], gapMs: number, touching = false): TimeSpan[] {
  const joined: TimeSpan[] = [];
  for (const span of spans) {
    const last = joined.at(-1);
    const gap = last ? span.startMs - last.endMs : Infinity;
    if (last && (gap < gapMs || (touching && gap <= gapMs))) {
      last.endMs = Math.max(last.endMs, span.endMs);
    } else {
      joined.push({ ...span });
    }
  }
  return joined;
}

/** Steps 3 and 4: padded, grown to the minimum length, inside [0, mediaEnd]. */
function widen(span: TimeSpan, settings: Settings, mediaEnd: number): TimeSpan {
  let startMs = span.startMs - settings.paddingMs;
  let endMs = span.endMs + settings.paddingMs;
  const missing = settings.minSpanMs - (endMs - startMs);
  if (missing > 0) {
    startMs -= Math.floor(missing / 2);
    endMs += Math.ceil(missing / 2);
    if (startMs < 0) [startMs, endMs] = [0, endMs - startMs];
    if (endMs > mediaEnd) [startMs, endMs] = [startMs - (endMs - mediaEnd), mediaEnd];
  }
  return { startMs: Math.max(0, startMs), endMs: Math.min(mediaEnd, endMs) };
}

/** Step 5: each edge that falls inside a word moved out to that word's edge. */
function snap(span: TimeSpan, words: readonly Word[]): TimeSpan {
  let { startMs, endMs } = span;
  for (const word of words) {
    if (word.start < startMs && startMs < word.end) startMs = word.start;
    if (word.start < endMs && endMs < word.end) endMs = word.end;
  }
  return { startMs, endMs };
}

interface CutPoint {
  at: number;
  /** Between two segments (preferred), or between two words of one segment. */
  betweenSegments: boolean;
}

/** Every place a span may be split without cutting a word, in time order. */
function cutPoints(segments: readonly (readonly Word[])[]): CutPoint[] {
  const cuts: CutPoint[] = [];
  segments.forEach((words, s) => {
    const firstOfNext = segments[s + 1]?.[0];
    words.forEach((word, w) => {
      const next = words[w + 1] ?? firstOfNext;
      if (!next) return;
      // The document's words are ordered, so word.end ≤ next.start and the cut cuts neither.
      cuts.push({
        at: Math.floor((word.end + next.start) / 2),
        betweenSegments: w === words.length - 1,
      });
    });
  });
  return cuts;
}

/** Step 6: `span` in pieces of at most `maxMs` where the cut points allow. */
function split(span: TimeSpan, cuts: readonly CutPoint[], maxMs: number): TimeSpan[] {
  const pieces: TimeSpan[] = [];
  const within = cuts.filter((cut) => cut.at > span.startMs && cut.at < span.endMs);
  let from = span.startMs;
  while (span.endMs - from > maxMs) {
    const inside = within.filter((cut) => cut.at > from);
    const reach = inside.filter((cut) => cut.at - from <= maxMs);
    const target = from + (span.endMs - from) / Math.ceil((span.endMs - from) / maxMs);
    const preferred = reach.some((cut) => cut.betweenSegments)
      ? reach.filter((cut) => cut.betweenSegments)
      : reach;
    const cut = closest(preferred, target) ?? inside[0];
    if (!cut) break;
    pieces.push({ startMs: from, endMs: cut.at });
    from = cut.at;
  }
  pieces.push({ startMs: from, endMs: span.endMs });
  return pieces;
}

function closest(cuts: readonly CutPoint[], target: number): CutPoint | undefined {
  let best: CutPoint | undefined;
  for (const cut of cuts) {
    if (!best || Math.abs(cut.at - target) < Math.abs(best.at - target)) best = cut;
  }
  return best;
}
