import { ConfirmDialog } from '../../app/Dialog';
import type { LibraryItem } from './queries';

/** Shown when an item without a transcript is opened. */
export function TranscribeOfferDialog({
  item,
  onCancel,
  onTranscribe,
}: {
  item: LibraryItem;
  onCancel(): void;
  onTranscribe(): void;
}) {
  return (
    <ConfirmDialog
      title="No transcript yet"
      confirmLabel="Transcribe"
      onCancel={onCancel}
      onConfirm={onTranscribe}
    >
      <p>
        “{item.name}” has not been transcribed. Transcribe it now with the default model (the
        language and the rest follow the Settings)? Progress shows here and in the Queue.
      </p>
    </ConfirmDialog>
  );
}
