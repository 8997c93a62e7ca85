/**
 * Time lookups for the playhead: which word is under it, which caption is on screen. Built once
 * per document version (O(n)), then each lookup is a binary search (O(log n)), so a 3-hour
 * transcript follows the playhead at 60 frames a second.
 */
import type { Segment, TranscriptDocument } from '../../../../src-main/contract/document';
import { lineText } from '../../../../src-main/common/document-text';

export interface WordTimeline {
  ids: string[];
  starts: number[];
  ends: number[];
  /** Index of each word's segment. */
  segmentOf: number[];
}

export function buildWordTimeline(doc: TranscriptDocument): WordTimeline {
  const timeline: WordTimeline = { ids: [], starts: [], ends: [], segmentOf: [] };
  doc.segments.forEach((segment, s) => {
    for (const line of segment.lines) {
      for (const word of line.words) {
        timeline.ids.push(word.id);
        timeline.starts.push(word.start);
        timeline.ends.push(word.end);
        timeline.segmentOf.push(s);
      }
    }
  });
  return timeline;
}

/** The last index in 0..count-1 whose (ascending) `valueAt` is <= `at`, or -1. */
export function lastAtOrBefore(count: number, valueAt: (i: number) => number, at: number): number {
  let lo = 0;
  let hi = count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (valueAt(mid) <= at) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Index of the word being spoken at `ms` (start <= ms < end), or -1 between words. */
export function wordIndexAt(timeline: WordTimeline, ms: number): number {
  const i = lastAtOrBefore(timeline.starts.length, (k) => timeline.starts[k]!, ms);
  return i >= 0 && ms < timeline.ends[i]! ? i : -1;
}

/** Index of the segment the playhead is in or has last passed (for following it), or -1. */
export const segmentIndexAt = (segments: readonly Segment[], ms: number): number =>
  lastAtOrBefore(segments.length, (i) => segments[i]!.start, ms);

export interface Cue {
  segmentId: string;
  start: number;
  end: number;
  /** The caption's lines, as they would be shown. */
  lines: string[];
}

/** The caption on screen at `ms` (each segment is one caption, its lines as wrapped), if any. */
export function cueAt(doc: TranscriptDocument, ms: number): Cue | undefined {
  const segment = doc.segments[segmentIndexAt(doc.segments, ms)];
  if (!segment || ms >= segment.end) return undefined;
  return {
    segmentId: segment.id,
    start: segment.start,
    end: segment.end,
    lines: segment.lines.map(lineText),
  };
}
