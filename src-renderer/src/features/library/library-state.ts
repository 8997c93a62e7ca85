import type { z } from 'zod';
import { errorText, type ErrorFacts } from '../../../../src-main/common/remedies';
import type { jobState } from '../../../../src-main/contract/jobs';

type JobState = z.infer<typeof jobState>;

/** Orders the library can be shown in, as the toolbar names them. */
export const sortOptions = [
  { id: 'newest', label: 'Newest first', api: 'created-desc' },
  { id: 'oldest', label: 'Oldest first', api: 'created-asc' },
  { id: 'name', label: 'Name', api: 'name' },
  { id: 'duration', label: 'Duration', api: 'duration' },
] as const;
export type SortId = (typeof sortOptions)[number]['id'];

/** What an item is doing, as its badge shows it. */
export type ItemStatus = 'untranscribed' | 'transcribing' | 'transcribed' | 'failed';

export const statusLabel: Record<ItemStatus, string> = {
  untranscribed: 'Untranscribed',
  transcribing: 'Transcribing',
  transcribed: 'Transcribed',
  failed: 'Failed',
};

/** The status filter: everything, or one status. */
export type StatusFilter = 'any' | ItemStatus;
export const statusFilters: StatusFilter[] = [
  'any',
  'untranscribed',
  'transcribing',
  'transcribed',
  'failed',
];

export interface LibraryFilters {
  sort: SortId;
  status: StatusFilter;
  /** Part of a file name, any case. */
  name: string;
}

export const defaultFilters: LibraryFilters = { sort: 'newest', status: 'any', name: '' };

/** The fields of a media item that decide its status. */
export interface StatusInputs {
  id: string;
  transcript: { id: string; status: 'partial' | 'complete' } | null;
  job: { id: string; state: JobState; percent: number } | null;
}

/**
 * The newest job of an item from the job list (`GET /v1/jobs`, which the events socket keeps
 * current): how a failure is known, and the freshest percent of a running job.
 */
export interface LastJob {
  id: string;
  state: JobState;
  percent: number;
  error: (ErrorFacts & { message: string }) | null;
}

export interface DerivedStatus {
  status: ItemStatus;
  /** 0..100 while transcribing. */
  percent: number | null;
  /** A queued job has not started yet. */
  queued: boolean;
  /** Why the last transcription failed. */
  error: string | null;
}

/**
 * An item's status: a queued or running job wins, then a complete transcript; without either,
 * the newest job of the item tells whether an attempt failed (a partial transcript without a
 * job is what a failed or cancelled run leaves).
 */
export function deriveStatus(item: StatusInputs, lastJob?: LastJob): DerivedStatus {
  const active = (job: { state: JobState } | null | undefined) =>
    job?.state === 'queued' || job?.state === 'running';
  if (active(item.job)) {
    const job = lastJob?.id === item.job?.id && active(lastJob) ? lastJob : item.job;
    return {
      status: 'transcribing',
      percent: Math.max(0, Math.min(100, job?.percent ?? 0)),
      queued: job?.state === 'queued',
      error: null,
    };
  }
  if (item.transcript?.status === 'complete')
    return { status: 'transcribed', percent: null, queued: false, error: null };
  if (lastJob?.state === 'failed') {
    return {
      status: 'failed',
      percent: null,
      queued: false,
      error: lastJob.error ? errorText(lastJob.error, 'ui') : 'The transcription failed.',
    };
  }
  return { status: 'untranscribed', percent: null, queued: false, error: null };
}

/** The newest transcribe job of each media item, from a job list in any order. */
export function lastJobByMedia<
  J extends { kind: string; mediaId: string | null; createdAt: string },
>(jobs: readonly J[]): Map<string, J> {
  const newest = new Map<string, J>();
  for (const job of jobs) {
    if (job.kind !== 'transcribe' || !job.mediaId) continue;
    const seen = newest.get(job.mediaId);
    if (!seen || job.createdAt > seen.createdAt) newest.set(job.mediaId, job);
  }
  return newest;
}

/**
 * The query string for `GET /v1/media`. The API filters by transcript only, so the statuses it
 * cannot tell apart (transcribing, failed) ask for the nearest superset and `matchesStatus`
 * narrows it here.
 */
export function mediaListParams(filters: LibraryFilters, limit: number): URLSearchParams {
  const sort = sortOptions.find((s) => s.id === filters.sort) ?? sortOptions[0];
  const status =
    filters.status === 'transcribed'
      ? 'transcribed'
      : filters.status === 'untranscribed' || filters.status === 'failed'
        ? 'untranscribed'
        : 'any';
  const params = new URLSearchParams({ sort: sort.api, status, limit: String(limit) });
  const name = filters.name.trim();
  if (name) params.set('q', name);
  return params;
}

export const matchesStatus = (filter: StatusFilter, status: ItemStatus): boolean =>
  filter === 'any' || filter === status;

/**
 * Whether deleting an item also deletes its file: true for an upload (a copy in the data
 * folder's `uploads`), false for a file added by path, which the engine never touches.
 */
export function isUploadedCopy(path: string, dataDir: string): boolean {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  return norm(path).startsWith(`${norm(dataDir)}/uploads/`);
}

/** Whether any item is queued or running, so the list polls until it is done. */
export const anyTranscribing = (items: readonly StatusInputs[]): boolean =>
  items.some((i) => deriveStatus(i).status === 'transcribing');
