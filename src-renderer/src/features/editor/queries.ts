/** The editor's server data: the transcript, its media, peaks, stream URL, caption presets. */
import { queryOptions } from '@tanstack/react-query';
import { captionPresetList } from '../../../../src-main/contract/captions';
import type { TranscriptDocument } from '../../../../src-main/contract/document';
import { mediaItem, mediaPeaks, mediaStreamUrl } from '../../../../src-main/contract/media';
import { transcriptView } from '../../../../src-main/contract/transcripts';
import { apiBase, ApiError, request } from '../../api/client';
import { queryKeys } from '../../api/query-keys';

const enc = encodeURIComponent;

/**
 * The transcript as loaded into the editor. It is read once per opening: the editor's own copy
 * is the truth while it is open, and autosave (with versions) keeps the server in step.
 */
export const transcriptQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.transcripts.detail(id),
    queryFn: ({ signal }) => request(transcriptView, `/v1/transcripts/${enc(id)}`, { signal }),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

export const fetchTranscript = (id: string) =>
  request(transcriptView, `/v1/transcripts/${enc(id)}`);

export const saveTranscript = (id: string, document: TranscriptDocument, version: number) =>
  request(transcriptView, `/v1/transcripts/${enc(id)}`, {
    method: 'PATCH',
    body: JSON.stringify({ version, document }),
  });

export const isConflict = (error: unknown) => error instanceof ApiError && error.status === 409;

export const mediaQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.media.detail(id),
    queryFn: ({ signal }) => request(mediaItem, `/v1/media/${enc(id)}`, { signal }),
  });

export const peaksQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.media.peaks(id),
    queryFn: ({ signal }) => request(mediaPeaks, `/v1/media/${enc(id)}/peaks`, { signal }),
    staleTime: Infinity,
  });

/** A signed URL for the media element (it cannot send a token), valid for hours. */
export const streamUrlQuery = (id: string) =>
  queryOptions({
    queryKey: [...queryKeys.media.detail(id), 'stream-url'] as const,
    queryFn: async ({ signal }) => {
      const { url } = await request(mediaStreamUrl, `/v1/media/${enc(id)}/stream-url`, {
        method: 'POST',
        signal,
      });
      return `${apiBase()}${url}`;
    },
    staleTime: 60 * 60 * 1000,
    refetchOnWindowFocus: false,
  });

export const captionPresetsQuery = () =>
  queryOptions({
    queryKey: ['caption-presets'] as const,
    queryFn: ({ signal }) => request(captionPresetList, '/v1/caption-presets', { signal }),
    staleTime: Infinity,
  });

export const exportPath = (id: string, format: string, preset: string | null) =>
  `/v1/transcripts/${enc(id)}/export?format=${enc(format)}${preset ? `&preset=${enc(preset)}` : ''}`;
