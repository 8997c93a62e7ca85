import type { TranscriptDocument } from '../../../../src-main/contract/document';

export interface SpeakerStats {
  /** Null for words nobody is assigned to. */
  id: string | null;
  name: string;
  /** Milliseconds of the speaker's words. */
  talkMs: number;
  words: number;
}

/** Talk time and word count per listed speaker (then "Unassigned", when any word has none). */
export function speakerStats(doc: TranscriptDocument): SpeakerStats[] {
  const byId = new Map<string | null, SpeakerStats>(
    doc.speakers.map((s) => [s.id, { id: s.id, name: s.name, talkMs: 0, words: 0 }]),
  );
  for (const segment of doc.segments) {
    for (const line of segment.lines) {
      for (const word of line.words) {
        let stats = byId.get(word.speaker);
        if (!stats) {
          stats = { id: word.speaker, name: 'Unassigned', talkMs: 0, words: 0 };
          byId.set(word.speaker, stats);
        }
        stats.talkMs += word.end - word.start;
        stats.words++;
      }
    }
  }
  return [...byId.values()];
}

/** A speaker's display name: its name, else its id; "No speaker" for null. */
export function speakerName(doc: TranscriptDocument, id: string | null): string {
  if (id === null) return 'No speaker';
  const speaker = doc.speakers.find((s) => s.id === id);
  return speaker?.name.trim() || id;
}
