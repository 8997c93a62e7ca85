import type { JobView } from '../../../../src-main/contract/jobs';

/** A remaining time as people say it: `12 s`, `4 min`, `1 h 05 min`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const stageLabels: Record<string, string> = {
  probe: 'Reading the file',
  vad: 'Finding speech',
  transcribe: 'Transcribing',
  refine: 'Refining unsure passages',
  finalize: 'Finishing',
  export: 'Exporting',
};

/** The stage in words (unknown stages as the engine names them). */
export const stageLabel = (stage: string | null): string | null =>
  stage === null ? null : (stageLabels[stage] ?? stage);

const kindLabels: Record<string, string> = {
  transcribe: 'Transcription',
  'retranscribe-span': 'Re-transcription of a passage',
  export: 'Export',
};

export const kindLabel = (kind: string): string => kindLabels[kind] ?? kind;

export const stateLabels: Record<JobView['state'], string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const isActive = (job: Pick<JobView, 'state'>) =>
  job.state === 'queued' || job.state === 'running';

/** The line under a job's progress bar: stage, ETA or queue position. */
export function progressDetail(job: JobView): string {
  if (job.state === 'queued') {
    return job.queuePosition === null ? 'Waiting' : `Waiting · #${job.queuePosition} in line`;
  }
  if (job.state !== 'running') return '';
  const parts = [stageLabel(job.stage) ?? 'Starting'];
  if (job.etaSec !== null) parts.push(`about ${formatEta(job.etaSec)} left`);
  return parts.join(' · ');
}

/** The transcript a job made or works on, for "Open in editor". */
export function transcriptOf(job: JobView): string | null {
  const fromResult =
    typeof job.result === 'object' && job.result !== null && 'transcriptId' in job.result
      ? job.result.transcriptId
      : undefined;
  if (typeof fromResult === 'string') return fromResult;
  const fromParams = job.params['transcriptId'];
  return typeof fromParams === 'string' ? fromParams : null;
}

/** Active jobs first (running, then by queue position), then the rest newest first. */
export function sortJobs(jobs: readonly JobView[]): JobView[] {
  const rank = (job: JobView) => (job.state === 'running' ? 0 : job.state === 'queued' ? 1 : 2);
  return [...jobs].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.queuePosition ?? 0) - (b.queuePosition ?? 0) ||
      b.createdAt.localeCompare(a.createdAt),
  );
}
