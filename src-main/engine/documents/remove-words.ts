import type { Line, Segment, TranscriptDocument, Word } from '../../contract/document';
import { withStructure } from '../../common/document-structure';

/**
 * The document without the words whose ids are in `ids`. Lines and segments left without words
 * are dropped. A line or segment that lost its first word starts where its new first word (line)
 * does, one that lost its last word ends where its new last one does; other bounds stay as they
 * were. Corrections of removed words are dropped, since no word is left to undo them on.
 * Structure tags are recomputed. Pure: the input is not changed.
 */
export function removeWords(doc: TranscriptDocument, ids: ReadonlySet<string>): TranscriptDocument {
  if (ids.size === 0) return doc;
  const removed = (word: Word | undefined) => word !== undefined && ids.has(word.id);
  const segments: Segment[] = [];
  for (const segment of doc.segments) {
    const lines: Line[] = [];
    for (const line of segment.lines) {
      const words = line.words.filter((word) => !removed(word));
      if (words.length === line.words.length) {
        lines.push(line);
      } else if (words.length > 0) {
        lines.push({
          ...line,
          start: removed(line.words[0]) ? words[0]!.start : line.start,
          end: removed(line.words.at(-1)) ? words.at(-1)!.end : line.end,
          words,
        });
      }
    }
    if (lines.length === 0) continue;
    segments.push({
      ...segment,
      start: removed(segment.lines[0]?.words[0]) ? lines[0]!.start : segment.start,
      end: removed(segment.lines.at(-1)?.words.at(-1)) ? lines.at(-1)!.end : segment.end,
      lines,
    });
  }
  return withStructure({
    ...doc,
    segments,
    corrections: doc.corrections.filter((correction) => !ids.has(correction.wordId)),
  });
}
