import type { TimeRange } from '../../contract/time-range';

interface Interval {
  start: number;
  end: number;
}

/** Regions widened by `padMs` on each side, sorted, with overlapping ones merged. */
export function mergeRegions(regions: readonly TimeRange[], padMs: number): Interval[] {
  const sorted = regions
    .map((r) => ({ start: r.startMs - padMs, end: r.endMs + padMs }))
    .sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const region of sorted) {
    const last = merged.at(-1);
    if (last && region.start <= last.end) last.end = Math.max(last.end, region.end);
    else merged.push({ ...region });
  }
  return merged;
}

/**
 * The share (0..1) of [start, end] that lies inside the merged regions. A span without length
 * counts as 1 when its instant is inside (or on the edge of) a region, else 0.
 */
export function speechShare(span: Interval, regions: readonly Interval[]): number {
  let i = firstEndingAtOrAfter(regions, span.start);
  if (span.end <= span.start) {
    const region = regions[i];
    return region && region.start <= span.start ? 1 : 0;
  }
  let inside = 0;
  for (; i < regions.length && regions[i]!.start < span.end; i++) {
    const region = regions[i]!;
    inside += Math.max(0, Math.min(span.end, region.end) - Math.max(span.start, region.start));
  }
  return inside / (span.end - span.start);
}

/** Index of the first region whose end is ≥ `at` (binary search over merged, sorted regions). */
function firstEndingAtOrAfter(regions: readonly Interval[], at: number): number {
  let lo = 0;
  let hi = regions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (regions[mid]!.end < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
