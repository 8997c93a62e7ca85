import type { TranscriptDocument } from '../../../../src-main/contract/document';

/** A speaker's display name: its name, else its id; "No speaker" for null. */
export function speakerName(doc: TranscriptDocument, id: string | null): string {
  if (id === null) return 'No speaker';
  const speaker = doc.speakers.find((s) => s.id === id);
  return speaker?.name.trim() || id;
}
