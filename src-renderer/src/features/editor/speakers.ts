import type { TranscriptDocument } from '../../../../src-main/contract/document';

/** A speaker's display name: its name, else its id; "No speaker" for null. */
export function speakerName(doc: TranscriptDocument, id: string | null): string {
  if (id === null) return 'No speaker';
  const speaker = doc.speakers.find((s) => s.id === id);
  return speaker?.name.trim() || id;
}

/** A palette slot per speaker (0–7, or 'none'), so each keeps its colour wherever it shows. */
export const speakerSlot = (speakers: readonly { id: string }[], id: string | null) =>
  id === null
    ? 'none'
    : String(
        Math.max(
          0,
          speakers.findIndex((s) => s.id === id),
        ) % 8,
      );
