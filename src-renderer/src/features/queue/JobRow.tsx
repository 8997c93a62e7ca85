import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatDate } from '../../../../src-main/common/format-date';
import type { JobView } from '../../../../src-main/contract/jobs';
import { queryKeys } from '../../api/query-keys';
import { ProgressBar } from '../../app/ProgressBar';
import { toastError, useToasts } from '../../app/toasts';
import { useUiStore } from '../../app/ui-store';
import { isActive, kindLabel, progressDetail, stateLabels, transcriptOf } from './format';
import { cancelJob, mediaNameQuery, retryJob } from './queries';
import { errorText } from '../../../../src-main/common/remedies';

const statePill: Record<JobView['state'], string> = {
  queued: '',
  running: 'active',
  completed: 'ok',
  failed: 'bad',
  cancelled: 'warn',
};

/** The file a job works on, by name (or what else it works on). */
function JobTitle({ job }: { job: JobView }) {
  const name = useQuery({ ...mediaNameQuery(job.mediaId ?? ''), enabled: job.mediaId !== null });
  if (job.mediaId === null) return <>{kindLabel(job.kind)}</>;
  return <>{name.data ?? (name.isError ? 'A removed file' : '…')}</>;
}

export function JobRow({ job }: { job: JobView }) {
  const queryClient = useQueryClient();
  const navigate = useUiStore((s) => s.navigate);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.jobs.all });
  const cancel = useMutation({ mutationFn: cancelJob, onError: toastError, onSettled: refresh });
  const retry = useMutation({
    mutationFn: retryJob,
    onError: toastError,
    onSuccess: () => useToasts.getState().show('info', 'The job is queued again.'),
    onSettled: refresh,
  });
  const transcriptId = job.state === 'completed' ? transcriptOf(job) : null;
  const titleId = `job-${job.id}-title`;

  return (
    <li className={`job job-${job.state}`} aria-labelledby={titleId} data-job-id={job.id}>
      <div className="job-main">
        <div className="job-heading">
          <span className="job-title" id={titleId}>
            <JobTitle job={job} />
          </span>
          {job.mediaId !== null && <span className="muted small">{kindLabel(job.kind)}</span>}
          <span className={`pill ${statePill[job.state]}`}>{stateLabels[job.state]}</span>
        </div>
        {isActive(job) && (
          <div className="job-progress">
            <ProgressBar value={job.state === 'queued' ? 0 : job.percent} labelledBy={titleId} />
            <span className="num small">{Math.floor(job.percent)}%</span>
          </div>
        )}
        {isActive(job) && <p className="muted small job-detail">{progressDetail(job)}</p>}
        {job.state === 'completed' && (
          <p className="muted small job-detail">
            Finished {job.finishedAt ? formatDate(job.finishedAt) : ''}
            {job.note ? ` · ${job.note}` : ''}
          </p>
        )}
        {job.state === 'failed' && job.error && (
          <p className="alert small job-error">{errorText(job.error, 'ui')}</p>
        )}
      </div>
      <div className="job-actions">
        {transcriptId && (
          <button
            type="button"
            className="small"
            onClick={() => navigate({ view: 'editor', transcriptId })}
          >
            Open in editor
          </button>
        )}
        {isActive(job) && (
          <button
            type="button"
            className="small"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate(job.id)}
            aria-describedby={titleId}
          >
            Cancel
          </button>
        )}
        {(job.state === 'failed' || job.state === 'cancelled') && (
          <button
            type="button"
            className="small"
            disabled={retry.isPending}
            onClick={() => retry.mutate(job.id)}
            aria-describedby={titleId}
          >
            Retry
          </button>
        )}
      </div>
    </li>
  );
}
