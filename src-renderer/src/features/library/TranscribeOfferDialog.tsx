import { ConfirmDialog } from '../../app/Dialog';
import { fromSpeakerForm } from '../speakers/speaker-options';
import type { LibraryItem } from './queries';
import { useSpeakersChoice } from './speakers-choice';
import { SpeakersChoiceField } from './SpeakersChoiceField';

/** Shown when an item without a transcript is opened; asks who speaks, too. */
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
      onConfirm={() => {
        // The field shows what is wrong; the person fixes it there.
        if (fromSpeakerForm(useSpeakersChoice.getState().values).ok) onTranscribe();
        else document.getElementById('offer-speakers')?.focus();
      }}
    >
      <p>
        “{item.name}” has not been transcribed. Transcribe it now with the default model (the
        language and the rest follow the Settings)? Progress shows here and in the Queue.
      </p>
      <SpeakersChoiceField
        id="offer-speakers"
        hint="Remembered for the next transcriptions you start from the library."
      />
    </ConfirmDialog>
  );
}
