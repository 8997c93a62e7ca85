/**
 * No export ends after the audio. Whisper can place words past the end of a recording (it pads
 * the last window with silence and may hallucinate there), a caption's minimum duration can
 * stretch the last cue, and a document may come from before its media's length was measured: so
 * every time an export writes is clamped to the document's `durationMs`, the audio's length. A
 * word past the end keeps its text and gets the end as both start and end.
 */
import type { Line, Segment, TranscriptDocument, Word } from '../../contract/document';

/** `doc` with every segment, line and word time at most `doc.durationMs` (0 means unknown). */
export function endingWithMedia(doc: TranscriptDocument): TranscriptDocument {
  const end = doc.durationMs;
  if (end <= 0 || !runsPast(doc, end)) return doc;
  const clamp = <T extends Segment | Line | Word>(span: T): T => ({
    ...span,
    start: Math.min(span.start, end),
    end: Math.min(span.end, end),
  });
  return {
    ...doc,
    segments: doc.segments.map((segment) => ({
      ...clamp(segment),
      lines: segment.lines.map((line) => ({ ...clamp(line), words: line.words.map(clamp) })),
    })),
  };
}

function runsPast(doc: TranscriptDocument, end: number): boolean {
  return doc.segments.some(
    (segment) =>
      segment.end > end ||
      segment.lines.some((line) => line.end > end || line.words.some((word) => word.end > end)),
  );
}
