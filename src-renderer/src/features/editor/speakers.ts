import type { TranscriptDocument } from '../../../../src-main/contract/document';
import { speakerName as documentSpeakerName } from '../../../../src-main/common/document-text';

/** A speaker's display name as the exports write it (its name, else its id); "No speaker" for null. */
export function speakerName(doc: TranscriptDocument, id: string | null): string {
  return documentSpeakerName(doc, id) ?? 'No speaker';
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
