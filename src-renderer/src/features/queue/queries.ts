import { queryOptions } from '@tanstack/react-query';
import { jobList, jobView, type JobList, type JobView } from '../../../../src-main/contract/jobs';
import { mediaItem } from '../../../../src-main/contract/media';
import { request } from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import { useEventsConnection } from '../../app/use-engine-events';
import { isActive } from './format';

/** How many of the newest jobs (of any state) the Queue shows besides the active ones. */
export const recentJobCount = 100;
/** Active jobs the Queue reads at most, in pages of 500. */
export const maxActiveJobs = 2000;

/** One page of `GET /v1/jobs` for a query string. */
export type JobPageSource = (query: URLSearchParams) => Promise<JobList>;

const stateRank = (job: JobView) => (job.state === 'queued' ? 0 : job.state === 'running' ? 1 : 2);

/**
 * What the Queue shows: every queued or running job (up to `maxActiveJobs`, following the
 * cursor) and the newest `recentJobCount` of any state, newest first, each job once. A job read
 * twice (it moved on between the two reads) is kept in its later state.
 */
export async function loadQueueJobs(page: JobPageSource): Promise<JobList> {
  const readActive = async () => {
    const jobs: JobView[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ state: 'queued,running', limit: '500' });
      if (cursor) query.set('cursor', cursor);
      const next = await page(query);
      jobs.push(...next.jobs);
      cursor = next.nextCursor;
    } while (cursor && jobs.length < maxActiveJobs);
    return jobs;
  };
  const [active, recent] = await Promise.all([
    readActive(),
    page(new URLSearchParams({ limit: String(recentJobCount) })),
  ]);
  const byId = new Map<string, JobView>();
  for (const job of [...active, ...recent.jobs]) {
    const seen = byId.get(job.id);
    if (!seen || stateRank(job) > stateRank(seen)) byId.set(job.id, job);
  }
  const jobs = [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return { jobs, nextCursor: null };
}

/**
 * The Queue's jobs (see `loadQueueJobs`). The events socket writes progress into this cache; the
 * refetch is only a fallback (slow while the socket is up, quick while it is down).
 */
export const jobListQuery = () =>
  queryOptions({
    queryKey: queryKeys.jobs.list(),
    queryFn: ({ signal }) =>
      loadQueueJobs((query) => request(jobList, `/v1/jobs?${query.toString()}`, { signal })),
    refetchInterval: () => (useEventsConnection.getState().state === 'open' ? 30_000 : 3_000),
  });

/** One library item, for the name a job shows. */
export const mediaNameQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.media.detail(id),
    queryFn: ({ signal }) => request(mediaItem, `/v1/media/${encodeURIComponent(id)}`, { signal }),
    staleTime: 60_000,
    select: (item) => item.name,
  });

export const cancelJob = (id: string) =>
  request(jobView, `/v1/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const retryJob = (id: string) =>
  request(jobView, `/v1/jobs/${encodeURIComponent(id)}/retry`, { method: 'POST' });

/** Jobs that are queued or running: the sidebar badge. */
export const activeJobCount = (list: JobList) => list.jobs.filter(isActive).length;
