/**
 * Structure tags: where each word sits (first/last of its line, segment and the document). They
 * are derived from the document's shape and recomputed whenever captions are re-grouped.
 */
import type { Segment, StructureTag, TranscriptDocument, Word } from '../contract/document';

/** The tags of the word at `lineIndex`/`wordIndex` of `segment`, in the contract's enum order. */
function tagsFor(
  segment: Segment,
  lineIndex: number,
  wordIndex: number,
  documentEdge: { first: boolean; last: boolean },
): StructureTag[] {
  const line = segment.lines[lineIndex];
  if (!line) return [];
  const lineFirst = wordIndex === 0;
  const lineLast = wordIndex === line.words.length - 1;
  const segmentFirst = lineFirst && lineIndex === 0;
  const segmentLast = lineLast && lineIndex === segment.lines.length - 1;
  const tags: StructureTag[] = [];
  if (lineFirst) tags.push('line-first');
  if (lineLast) tags.push('line-last');
  if (segmentFirst) tags.push('segment-first');
  if (segmentLast) tags.push('segment-last');
  if (segmentFirst && documentEdge.first) tags.push('document-first');
  if (segmentLast && documentEdge.last) tags.push('document-last');
  return tags;
}

function sameTags(a: readonly StructureTag[], b: readonly StructureTag[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
}

/**
 * `segment` with every word's `structure` recomputed. `isFirst`/`isLast` say whether the segment
 * opens or closes the document. Words whose tags are already right are kept as the same objects,
 * and so is the segment when nothing changed.
 */
export function withSegmentStructure(segment: Segment, isFirst: boolean, isLast: boolean): Segment {
  let changed = false;
  const lines = segment.lines.map((line, lineIndex) => {
    let lineChanged = false;
    const words = line.words.map((word, wordIndex): Word => {
      const structure = tagsFor(segment, lineIndex, wordIndex, { first: isFirst, last: isLast });
      if (sameTags(word.structure, structure)) return word;
      lineChanged = true;
      return { ...word, structure };
    });
    if (!lineChanged) return line;
    changed = true;
    return { ...line, words };
  });
  return changed ? { ...segment, lines } : segment;
}

/** `segments` with structure tags recomputed throughout (unchanged segments keep identity). */
export function withStructureTags(segments: readonly Segment[]): Segment[] {
  return segments.map((segment, i) =>
    withSegmentStructure(segment, i === 0, i === segments.length - 1),
  );
}

/**
 * The document with every word's `structure` recomputed from where it sits (first/last of its
 * line, segment and the document). Call it after any edit that adds, removes or moves words.
 * Pure: the input is not changed; words, lines and segments whose tags are right are kept.
 */
export function withStructure<T extends Pick<TranscriptDocument, 'segments'>>(doc: T): T {
  return { ...doc, segments: withStructureTags(doc.segments) };
}
