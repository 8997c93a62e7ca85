import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { jobList, jobView } from '../../../../src-main/contract/jobs';
import { mediaItem } from '../../../../src-main/contract/media';
import { request } from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import { useEventsConnection } from '../../app/use-engine-events';
import { isActive } from './format';

/**
 * Every job. The events socket writes progress into this cache; the refetch is only a fallback
 * (slow while the socket is up, quick while it is down).
 */
export const jobListQuery = () =>
  queryOptions({
    queryKey: queryKeys.jobs.list(),
    queryFn: ({ signal }) => request(jobList, '/v1/jobs', { signal }),
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
export const activeJobCount = (list: z.infer<typeof jobList>) => list.jobs.filter(isActive).length;
