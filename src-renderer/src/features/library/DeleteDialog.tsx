import { ConfirmDialog } from '../../app/Dialog';
import type { LibraryItem } from './queries';

interface Props {
  item: LibraryItem;
  /** Whether the file is an upload the engine deletes too; null when it cannot tell. */
  uploaded: boolean | null;
  busy: boolean;
  onCancel(): void;
  onConfirm(): void;
}

/** Says exactly what deleting an item removes, and what it leaves alone. */
export function DeleteDialog({ item, uploaded, busy, onCancel, onConfirm }: Props) {
  return (
    <ConfirmDialog
      title={`Delete “${item.name}”?`}
      confirmLabel={busy ? 'Deleting…' : 'Delete'}
      danger
      busy={busy}
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      <p>This removes, and cannot be undone:</p>
      <ul className="lib-delete-list">
        <li>the library entry;</li>
        <li>
          {item.transcript
            ? `its transcripts with every edit (the newest has ${item.transcript.wordCount} words);`
            : 'its transcripts, if any;'}
        </li>
        <li>derived files: waveform peaks and cached audio;</li>
        {uploaded !== false && (
          <li>
            {uploaded
              ? 'the uploaded copy of the file in the data folder.'
              : 'the uploaded copy of the file, if it was uploaded.'}
          </li>
        )}
      </ul>
      <p className="muted">
        {uploaded === false ? (
          <>
            It was added by path, so the file itself stays where it is: <code>{item.path}</code>
          </>
        ) : (
          'A file added by path is never deleted, only its library entry.'
        )}
      </p>
    </ConfirmDialog>
  );
}
