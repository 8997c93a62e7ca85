import { useId, useState, type FormEvent } from 'react';
import { Dialog } from '../../app/Dialog';
import { useToasts } from '../../app/toasts';
import { useVoiceActions } from './voice-actions';

/**
 * Names a speaker and keeps their voice print in the voice library, so new transcripts suggest
 * the name when the voice comes back.
 */
export function RememberVoiceDialog({
  speakerId,
  name,
  onClose,
}: {
  speakerId: string;
  /** The speaker's current name, to start from. */
  name: string;
  onClose(): void;
}) {
  const { remember } = useVoiceActions();
  const formId = useId();
  const [draft, setDraft] = useState(name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const trimmed = draft.trim();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (trimmed === '') {
      setError('Enter the name to remember this voice by.');
      return;
    }
    setBusy(true);
    setError(null);
    remember(speakerId, trimmed).then(
      () => {
        useToasts.getState().show('success', `Remembered the voice of ${trimmed}.`);
        onClose();
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
  };
  const cancel = () => {
    if (!busy) onClose();
  };
  return (
    <Dialog
      title="Remember this voice"
      onClose={cancel}
      size="small"
      footer={
        <>
          <button type="button" onClick={cancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary" disabled={busy}>
            {busy ? 'Remembering…' : 'Remember voice'}
          </button>
        </>
      }
    >
      <form id={formId} className="field" onSubmit={onSubmit} noValidate>
        <p className="muted">
          The speaker takes this name, and their voice print is kept in the studio’s data folder.
          When the voice is heard in a new transcript, the editor suggests the name.
        </p>
        <label htmlFor={`${formId}-name`}>Name</label>
        <input
          id={`${formId}-name`}
          value={draft}
          maxLength={100}
          spellCheck={false}
          onChange={(event) => setDraft(event.target.value)}
          aria-invalid={error !== null}
          aria-describedby={`${formId}-error`}
          data-autofocus
        />
        <span id={`${formId}-error`} className="field-error" role={error ? 'alert' : undefined}>
          {error}
        </span>
      </form>
    </Dialog>
  );
}
