import { ProgressBar } from '../../app/ProgressBar';
import { statusLabel, type DerivedStatus, type ItemStatus } from './library-state';

const pillKind: Record<ItemStatus, string> = {
  untranscribed: '',
  transcribing: 'active',
  transcribed: 'ok',
  failed: 'bad',
};

/** An item's status; a progress bar while it is transcribing, the reason (as text) when it failed. */
export function StatusBadge({ status, name }: { status: DerivedStatus; name: string }) {
  const pill = (
    <span className={`pill ${pillKind[status.status]}`} title={status.error ?? undefined}>
      {status.status === 'transcribing'
        ? status.queued
          ? 'Queued'
          : `Transcribing ${Math.floor(status.percent ?? 0)}%`
        : statusLabel[status.status]}
    </span>
  );
  if (status.status === 'failed' && status.error) {
    return (
      <span className="lib-status">
        {pill}
        <span className="lib-status-reason">{status.error}</span>
      </span>
    );
  }
  if (status.status !== 'transcribing') return pill;
  return (
    <span className="lib-status">
      {pill}
      <ProgressBar value={status.queued ? null : status.percent} label={`Transcribing ${name}`} />
    </span>
  );
}
