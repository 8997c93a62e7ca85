import { useState } from 'react';
import { toastError } from '../../app/toasts';
import { useEditor } from './editor-context';
import { fetchTranscript } from './queries';

/**
 * Shown when a save was refused because the transcript changed elsewhere: the person chooses
 * their copy or the other one; nothing is overwritten without that choice.
 */
export function ConflictBanner() {
  const { transcriptId, store, autosaver } = useEditor();
  const [busy, setBusy] = useState(false);
  const run = (action: () => Promise<void>) => {
    setBusy(true);
    action()
      .catch(toastError)
      .finally(() => setBusy(false));
  };
  const loadTheirs = () =>
    run(async () => {
      const latest = await fetchTranscript(transcriptId);
      store.getState().reset(latest.document);
      autosaver.adopt(latest.version);
    });
  const keepMine = () =>
    run(async () => {
      const latest = await fetchTranscript(transcriptId);
      await autosaver.overwrite(latest.version);
    });
  return (
    <div className="conflict-banner" role="alert">
      <span>
        This transcript was changed elsewhere since you opened it. Your edits are kept here but not
        saved.
      </span>
      <button type="button" className="button" disabled={busy} onClick={loadTheirs}>
        Load theirs
      </button>
      <button type="button" className="button danger" disabled={busy} onClick={keepMine}>
        Keep mine (overwrite theirs)
      </button>
    </div>
  );
}
