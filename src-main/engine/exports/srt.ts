/**
 * SubRip (SRT): numbered cues from 1, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, then the caption's lines
 * as the document wraps them, a blank line between cues. Lines end in LF. SRT has no speaker
 * markup and no escaping, so text is written as is.
 */
import type { TranscriptDocument } from '../../contract/document';
import { lineText } from '../../common/document-text';
import { formatTimecode } from './timecode';

export function exportSrt(doc: TranscriptDocument): string {
  return doc.segments
    .map((segment, index) => {
      const timing = `${formatTimecode(segment.start, ',')} --> ${formatTimecode(segment.end, ',')}`;
      return [String(index + 1), timing, ...segment.lines.map(lineText)].join('\n') + '\n';
    })
    .join('\n');
}
