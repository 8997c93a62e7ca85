/**
 * Re-wraps only what an edit touched. The captions (segments) holding a changed word are
 * re-flowed under the rules; a neighbouring caption joins them only when the re-flow leaves a
 * short caption at that edge, the neighbour has the same speaker and the speech runs on between
 * them ("needed for length"), so the text can even out. Every other segment is returned as the very same object.
 *
 * The previous caption may also change, but only its end time: when the re-flowed region now
 * starts earlier, an end that had been extended for reading time is pulled back to keep the gap.
 */
import type { CaptionRules, Segment, TranscriptDocument } from '../../contract/document';
import { breakWeights } from './break-scores';
import { endLimitBefore } from './caption-timing';
import { captionSegments } from './caption-segments';
import { planCaptions, type PlannedCaption } from './flow';
import { withSegmentStructure } from '../document-structure';
import { wordsLength } from './text-length';
import { documentWords, mediaEndLimit } from './wrap';

/** Segments `from..to` (inclusive) of the document. */
interface Range {
  from: number;
  to: number;
}

/** Whether `segment` holds a changed word, or has lost words (an empty line) in the edit. */
function touched(segment: Segment, changed: ReadonlySet<string>): boolean {
  return (
    segment.lines.length === 0 ||
    segment.lines.some(
      (line) => line.words.length === 0 || line.words.some((word) => changed.has(word.id)),
    )
  );
}

/** Runs of consecutive touched segment indices. */
function touchedRanges(segments: readonly Segment[], changed: ReadonlySet<string>): Range[] {
  const ranges: Range[] = [];
  segments.forEach((segment, index) => {
    if (!touched(segment, changed)) return;
    const last = ranges.at(-1);
    if (last && last.to === index - 1) last.to = index;
    else ranges.push({ from: index, to: index });
  });
  return ranges;
}

function planRange(doc: TranscriptDocument, range: Range, rules: CaptionRules): PlannedCaption[] {
  const words = documentWords(doc.segments.slice(range.from, range.to + 1));
  const nextStart = doc.segments[range.to + 1]?.start;
  const limit =
    nextStart === undefined
      ? mediaEndLimit(doc, documentWords(doc.segments))
      : endLimitBefore(nextStart, rules);
  return planCaptions(words, limit, rules);
}

/**
 * Whether `caption` should be re-flowed together with `neighbour`: it is short (under half a
 * line), the speaker is the same and the speech runs on between them (no pause long enough to
 * end a caption by itself, `breakWeights.captionPauseFullMs`).
 */
function joinsNeighbour(
  caption: PlannedCaption | undefined,
  neighbour: Segment | undefined,
  side: 'before' | 'after',
  rules: CaptionRules,
): boolean {
  if (!caption || !neighbour) return false;
  if (wordsLength(caption.words) >= rules.maxCharsPerLine / 2) return false;
  if (neighbour.speaker !== caption.words[0]?.speaker) return false;
  const neighbourWords = documentWords([neighbour]);
  const pause =
    side === 'before'
      ? (caption.words[0]?.start ?? 0) - (neighbourWords.at(-1)?.end ?? 0)
      : (neighbourWords[0]?.start ?? 0) - (caption.words.at(-1)?.end ?? 0);
  return pause < breakWeights.captionPauseFullMs;
}

/** `range` grown by a neighbour on each side where the re-flow leaves a short edge caption. */
function withNeighbours(doc: TranscriptDocument, range: Range, rules: CaptionRules): Range {
  const plan = planRange(doc, range, rules);
  const growLeft = joinsNeighbour(plan[0], doc.segments[range.from - 1], 'before', rules);
  const growRight = joinsNeighbour(plan.at(-1), doc.segments[range.to + 1], 'after', rules);
  return { from: range.from - (growLeft ? 1 : 0), to: range.to + (growRight ? 1 : 0) };
}

/** Merges ranges that overlap or touch (they must be re-flowed together). */
function mergeRanges(ranges: readonly Range[]): Range[] {
  const merged: Range[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.from <= last.to + 1) last.to = Math.max(last.to, range.to);
    else merged.push({ ...range });
  }
  return merged;
}

/** `segment` with its end pulled back to `limit` if it was extended past it (words stay inside). */
function endAtMost(segment: Segment, limit: number): Segment {
  if (segment.end <= limit) return segment;
  const lastWordEnd = segment.lines.at(-1)?.words.at(-1)?.end ?? segment.start;
  const end = Math.max(lastWordEnd, limit);
  return end === segment.end ? segment : { ...segment, end };
}

/**
 * `doc` with the captions holding any of `changedWordIds` re-flowed under `rules` (ids of added or
 * edited words; after a deletion pass a neighbouring word's id, or leave the emptied line empty).
 * Returns `doc` itself when no segment is touched.
 */
export function rewrapChanged(
  doc: TranscriptDocument,
  changedWordIds: Iterable<string>,
  rules: CaptionRules,
): TranscriptDocument {
  const changed = new Set(changedWordIds);
  const ranges = mergeRanges(
    touchedRanges(doc.segments, changed).map((range) => withNeighbours(doc, range, rules)),
  );
  if (ranges.length === 0) return doc;

  const inRange = new Set(ranges.flatMap((r) => indices(r)));
  const reserved = new Set(doc.segments.filter((_, i) => !inRange.has(i)).map((s) => s.id));
  const segments: Segment[] = [];
  let cursor = 0;
  for (const range of ranges) {
    segments.push(...doc.segments.slice(cursor, range.from));
    const plan = planRange(doc, range, rules);
    const fresh = captionSegments(plan, doc.segments.slice(range.from, range.to + 1), reserved);
    fresh.forEach((segment) => reserved.add(segment.id));
    const firstStart = plan[0]?.start;
    const previous = segments.at(-1);
    if (previous && firstStart !== undefined) {
      segments[segments.length - 1] = endAtMost(previous, endLimitBefore(firstStart, rules));
    }
    segments.push(...fresh);
    cursor = range.to + 1;
  }
  segments.push(...doc.segments.slice(cursor));

  // Structure tags: the re-flowed segments get theirs afresh; the document's first and last
  // segments are checked too, since a re-flowed region at either end may have moved the edge.
  // An untouched segment keeps its place, so only the new first or last one can need new tags.
  const untouched = new Set(doc.segments);
  const tagged = segments.map((segment, i) => {
    const isFirst = i === 0;
    const isLast = i === segments.length - 1;
    return untouched.has(segment) && !isFirst && !isLast
      ? segment
      : withSegmentStructure(segment, isFirst, isLast);
  });
  return { ...doc, segments: tagged };
}

function indices({ from, to }: Range): number[] {
  return Array.from({ length: to - from + 1 }, (_, k) => from + k);
}
