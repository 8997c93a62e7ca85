import { Icon } from '../../app/icons';
import { ProgressBar } from '../../app/ProgressBar';
import type { JobView } from '../../../../src-main/contract/jobs';
import { importPercent, importStatus, type ImportEntry } from './imports-state';

interface Props {
  entries: ImportEntry[];
  /** The latest state of a job the list started, when the job list has it. */
  jobOf(jobId: string): JobView | undefined;
  onTranscribe(entry: ImportEntry): void;
  onCancel(key: string): void;
  onDismiss(key: string): void;
  onClearFinished(): void;
}

/** The imports of this session: progress per file, then the offer to transcribe. */
export function ImportList({
  entries,
  jobOf,
  onTranscribe,
  onCancel,
  onDismiss,
  onClearFinished,
}: Props) {
  if (entries.length === 0) return null;
  const busy = (e: ImportEntry) => e.state === 'uploading' || e.state === 'checking';
  return (
    <section className="lib-imports" aria-label="Imports">
      <ul>
        {entries.map((entry) => {
          const status = importStatus(entry, entry.jobId === null ? undefined : jobOf(entry.jobId));
          const bad = status.tone === 'bad';
          return (
            <li
              key={entry.key}
              className={`lib-import ${entry.state}${bad ? ' bad' : ''}`}
              data-import-state={entry.state}
            >
              <span className="lib-import-name" title={entry.name}>
                {entry.name}
              </span>
              {status.bar ? (
                <ProgressBar value={importPercent(entry)} label={`Importing ${entry.name}`} />
              ) : (
                <span className={`pill ${status.tone}`}>{status.label}</span>
              )}
              <span className="lib-import-state" role={bad ? 'alert' : undefined}>
                {bad ? (
                  <>
                    {status.bar && <span className="pill bad">{status.label}</span>}{' '}
                    <span className="lib-import-reason">{status.detail}</span>
                  </>
                ) : (
                  status.detail
                )}
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
          );
        })}
      </ul>
      {entries.some((e) => !busy(e)) && (
        <button type="button" className="link" onClick={onClearFinished}>
          Clear finished
        </button>
      )}
    </section>
  );
}
