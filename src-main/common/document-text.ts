/** Text of a document's captions and its speakers' names, as the exports and the editor show them. */
import type { Line, Segment, TranscriptDocument } from '../contract/document';

/** A word's text on one line: any whitespace inside it (never expected) becomes one space. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ');

export function lineText(line: Line): string {
  return line.words.map((word) => oneLine(word.text)).join(' ');
}

/** The caption's lines joined by spaces: the segment as running text. */
export function segmentText(segment: Segment): string {
  return segment.lines.map(lineText).join(' ');
}

/**
 * The display name of speaker `id`: its name in `doc.speakers`, or the id itself when the
 * speaker is not listed or has an empty name. Null for no speaker.
 */
export function speakerName(doc: TranscriptDocument, id: string | null): string | null {
  if (id === null) return null;
  const name = doc.speakers.find((s) => s.id === id)?.name.trim();
  return name ? oneLine(name) : id;
}

/** Consecutive segments with the same speaker, in order. */
export function speakerTurns(segments: readonly Segment[]): Segment[][] {
  const turns: Segment[][] = [];
  for (const segment of segments) {
    const turn = turns.at(-1);
    if (turn && turn[0]?.speaker === segment.speaker) turn.push(segment);
    else turns.push([segment]);
  }
  return turns;
}
