import { Icon } from '../../app/icons';
import { ProgressBar } from '../../app/ProgressBar';
import { importPercent, type ImportEntry } from './imports-state';

interface Props {
  entries: ImportEntry[];
  onTranscribe(entry: ImportEntry): void;
  onCancel(key: string): void;
  onDismiss(key: string): void;
  onClearFinished(): void;
}

function stateText(entry: ImportEntry): string {
  switch (entry.state) {
    case 'uploading':
      return `Uploading ${importPercent(entry) ?? 0}%`;
    case 'checking':
      return 'Checking the file…';
    case 'failed':
      return entry.error ?? 'Failed';
    case 'added':
      return entry.transcribe === 'started'
        ? 'Added — transcription queued'
        : entry.transcribe === 'starting'
          ? 'Added — starting transcription…'
          : 'Added';
  }
}

/** The imports of this session: progress per file, then the offer to transcribe. */
export function ImportList({ entries, onTranscribe, onCancel, onDismiss, onClearFinished }: Props) {
  if (entries.length === 0) return null;
  const busy = (e: ImportEntry) => e.state === 'uploading' || e.state === 'checking';
  return (
    <section className="lib-imports" aria-label="Imports">
      <ul>
        {entries.map((entry) => (
          <li
            key={entry.key}
            className={`lib-import ${entry.state}`}
            data-import-state={entry.state}
          >
            <span className="lib-import-name" title={entry.name}>
              {entry.name}
            </span>
            <ProgressBar value={importPercent(entry)} label={`Importing ${entry.name}`} />
            <span
              className="lib-import-state"
              role={entry.state === 'failed' ? 'alert' : undefined}
            >
              {stateText(entry)}
            </span>
            <span className="lib-actions">
              {entry.state === 'added' && entry.transcribe === 'none' && (
                <button
                  type="button"
                  className="primary"
                  onClick={(event) => {
                    // The button goes once the job is queued: keep the focus on Dismiss.
                    (event.currentTarget.nextElementSibling as HTMLElement | null)?.focus();
                    onTranscribe(entry);
                  }}
                  aria-label={`Transcribe ${entry.name}`}
                >
                  Transcribe
                </button>
              )}
              {entry.state === 'uploading' ? (
                <button
                  type="button"
                  onClick={() => onCancel(entry.key)}
                  aria-label={`Cancel the upload of ${entry.name}`}
                >
                  Cancel
                </button>
              ) : (
                !busy(entry) && (
                  <button
                    type="button"
                    className="icon-button"
                    onClick={() => onDismiss(entry.key)}
                    aria-label={`Dismiss ${entry.name}`}
                  >
                    <Icon name="close" />
                  </button>
                )
              )}
            </span>
          </li>
        ))}
      </ul>
      {entries.some((e) => !busy(e)) && (
        <button type="button" className="link" onClick={onClearFinished}>
          Clear finished
        </button>
      )}
    </section>
  );
}
