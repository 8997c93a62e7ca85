/**
 * Turns planned captions into document segments, with ids that stay stable across re-wraps.
 *
 * Id policy: a caption that starts with the same word as an old segment keeps that segment's id;
 * any other caption gets `seg-<first word id>` (word ids are stable and unique). The rare clash
 * with an id already taken gets a numeric suffix.
 */
import type { Line, Segment } from '../../contract/document';
import type { PlannedCaption } from './flow';

/** Ids for `captions`, reusing ids of `oldSegments` by first word and avoiding `reserved`. */
function captionIds(
  captions: readonly PlannedCaption[],
  oldSegments: readonly Segment[],
  reserved: ReadonlySet<string>,
): string[] {
  const oldIdByFirstWord = new Map<string, string>();
  for (const segment of oldSegments) {
    const firstWord = segment.lines[0]?.words[0];
    if (firstWord && !reserved.has(segment.id)) oldIdByFirstWord.set(firstWord.id, segment.id);
  }
  const kept = captions.map((c) => oldIdByFirstWord.get(c.words[0]?.id ?? ''));
  const taken = new Set<string>([...reserved, ...kept.filter((id) => id !== undefined)]);
  return captions.map((caption, index) => {
    const keep = kept[index];
    if (keep !== undefined) return keep;
    const base = `seg-${caption.words[0]?.id ?? index}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return id;
  });
}

/** The segment for a planned caption (structure tags are recomputed separately). */
function captionSegment(caption: PlannedCaption, id: string): Segment {
  const lines: Line[] = caption.lineStarts.map((start, index) => {
    const words = caption.words.slice(start, caption.lineStarts[index + 1] ?? caption.words.length);
    return {
      start: words[0]?.start ?? caption.start,
      end: words.at(-1)?.end ?? caption.end,
      words,
    };
  });
  return {
    id,
    start: caption.start,
    end: caption.end,
    speaker: caption.words[0]?.speaker ?? null,
    lines,
  };
}

/**
 * Segments for planned `captions` that replace `oldSegments`, with ids unique among themselves
 * and `reserved` (the ids of the segments that stay).
 */
export function captionSegments(
  captions: readonly PlannedCaption[],
  oldSegments: readonly Segment[],
  reserved: ReadonlySet<string> = new Set(),
): Segment[] {
  const ids = captionIds(captions, oldSegments, reserved);
  return captions.map((caption, i) => captionSegment(caption, ids[i] ?? `seg-${i}`));
}
