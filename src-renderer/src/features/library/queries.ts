import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { jobList, jobView, type CreateJobBody } from '../../../../src-main/contract/jobs';
import { mediaItem, mediaList } from '../../../../src-main/contract/media';
import { searchResult } from '../../../../src-main/contract/search';
import type { SpeakerDetection } from '../../../../src-main/contract/speakers';
import { systemInfo } from '../../../../src-main/contract/system';
import { request, upload, type UploadProgress } from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import { anyTranscribing, mediaListParams, type LibraryFilters } from './library-state';

export type LibraryItem = z.infer<typeof mediaItem>;

/** How many items one page of the library shows. */
export const pageSize = 500;

export const libraryListQuery = (filters: LibraryFilters) =>
  queryOptions({
    queryKey: queryKeys.media.list({ ...filters }),
    queryFn: ({ signal }) =>
      request(mediaList, `/v1/media?${mediaListParams(filters, pageSize).toString()}`, { signal }),
    placeholderData: (previous) => previous,
    // The events socket invalidates on job changes; polling covers a missed event mid-job.
    refetchInterval: (query) =>
      query.state.data && anyTranscribing(query.state.data.media) ? 2000 : false,
  });

/** How many of the newest transcriptions the library reads to tell each item's last outcome. */
export const libraryJobCount = 500;

/**
 * The newest transcriptions, to tell a failed one apart from one never started. Under the job
 * list's key, so the events socket updates it and invalidates it with the Queue's list.
 */
export const jobsQuery = () =>
  queryOptions({
    queryKey: [...queryKeys.jobs.list(), { kind: 'transcribe' }],
    queryFn: ({ signal }) =>
      request(
        jobList,
        `/v1/jobs?${new URLSearchParams({ kind: 'transcribe', limit: String(libraryJobCount) }).toString()}`,
        { signal },
      ),
  });

/** Where the data folder is, to tell an uploaded copy from a file added by path. */
export const systemQuery = () =>
  queryOptions({
    // The System view's key and fetch, so both share one cache entry.
    queryKey: [...queryKeys.system, 'info'],
    queryFn: ({ signal }) => request(systemInfo, '/v1/system', { signal }),
    staleTime: Infinity,
  });

export const searchQuery = (q: string) =>
  queryOptions({
    queryKey: queryKeys.search(q),
    queryFn: ({ signal }) =>
      request(searchResult, `/v1/search?${new URLSearchParams({ q, limit: '50' }).toString()}`, {
        signal,
      }),
    enabled: q.trim().length > 0,
    placeholderData: (previous) => previous,
  });

export const uploadMedia = (
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
) => {
  const form = new FormData();
  form.append('file', file, file.name);
  return upload('/v1/media', form, { schema: mediaItem, onProgress, signal });
};

export const addMediaByPath = (path: string) =>
  request(mediaItem, '/v1/media', { method: 'POST', body: JSON.stringify({ path }) });

export const deleteMedia = (id: string) =>
  request(z.unknown(), `/v1/media/${encodeURIComponent(id)}`, { method: 'DELETE' });

/**
 * Queues a transcription of one item; the engine fills the model, language, VAD, caption preset
 * and (unless `speakers` says) speaker detection from the settings, and says how to get a model
 * when none is installed.
 */
export async function startTranscription(mediaId: string, speakers?: SpeakerDetection) {
  const body: CreateJobBody = {
    kind: 'transcribe',
    mediaId,
    ...(speakers ? { params: { speakers } } : {}),
  };
  return request(jobView, '/v1/jobs', { method: 'POST', body: JSON.stringify(body) });
}
