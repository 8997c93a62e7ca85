import { structureTag, type StructureTag, type TranscriptDocument } from '../../contract/document';

/**
 * The document with every word's `structure` recomputed from where it sits (first/last of its
 * line, segment and the document). Call it after any edit that adds, removes or moves words.
 * Pure: returns new segments, lines and words; the input is not changed.
 */
export function withStructure(doc: TranscriptDocument): TranscriptDocument {
  const total = doc.segments.reduce(
    (sum, segment) => sum + segment.lines.reduce((n, line) => n + line.words.length, 0),
    0,
  );
  let seen = 0;
  const segments = doc.segments.map((segment) => {
    const inSegment = segment.lines.reduce((n, line) => n + line.words.length, 0);
    let seenInSegment = 0;
    const lines = segment.lines.map((line) => {
      const words = line.words.map((word, w) => {
        const tags = new Set<StructureTag>();
        if (w === 0) tags.add('line-first');
        if (w === line.words.length - 1) tags.add('line-last');
        if (seenInSegment === 0) tags.add('segment-first');
        if (seenInSegment === inSegment - 1) tags.add('segment-last');
        if (seen === 0) tags.add('document-first');
        if (seen === total - 1) tags.add('document-last');
        seen++;
        seenInSegment++;
        return { ...word, structure: structureTag.options.filter((tag) => tags.has(tag)) };
      });
      return { ...line, words };
    });
    return { ...segment, lines };
  });
  return { ...doc, segments };
}
