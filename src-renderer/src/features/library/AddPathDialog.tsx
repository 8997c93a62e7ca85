import { useId, useState } from 'react';
import { Dialog } from '../../app/Dialog';

interface Props {
  onCancel(): void;
  onAdd(path: string): void;
}

const isAbsolute = (path: string) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path);

/** Asks for the absolute path of a file on the machine the engine runs on. */
export function AddPathDialog({ onCancel, onAdd }: Props) {
  const [path, setPath] = useState('');
  const formId = useId();
  const hintId = useId();
  const trimmed = path.trim();
  const valid = isAbsolute(trimmed);
  return (
    <Dialog
      title="Add a file by path"
      onClose={onCancel}
      size="small"
      footer={
        <>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary" disabled={!valid}>
            Add
          </button>
        </>
      }
    >
      <form
        id={formId}
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) onAdd(trimmed);
        }}
      >
        <label className="field">
          Absolute path on the engine’s machine
          <input
            type="text"
            data-autofocus
            spellCheck={false}
            placeholder="/home/me/recordings/interview.wav"
            value={path}
            aria-invalid={trimmed !== '' && !valid}
            aria-describedby={hintId}
            onChange={(e) => setPath(e.target.value)}
          />
        </label>
        <p id={hintId} className={trimmed && !valid ? 'field-error' : 'field-hint'}>
          {trimmed && !valid
            ? 'The path must be absolute (start with / or a drive letter).'
            : 'The file is used where it is: not copied, and never deleted with its library entry.'}
        </p>
      </form>
    </Dialog>
  );
}
