import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { modelList, modelRecommendation, modelStatus } from '../../../../src-main/contract/models';
import { request, upload, type UploadProgress } from '../../api/client';

export const modelKeys = {
  all: ['models'] as const,
  list: () => [...modelKeys.all, 'list'] as const,
  /** Not under `all`: refreshing the list after a download need not ask again. */
  recommendation: (language: string) => ['model-recommendation', language] as const,
};

/** The catalog model that fits this machine (GET /v1/models/recommendation), for a language. */
export const recommendationQuery = (language: string) =>
  queryOptions({
    queryKey: modelKeys.recommendation(language),
    queryFn: ({ signal }) =>
      request(
        modelRecommendation,
        `/v1/models/recommendation?language=${encodeURIComponent(language)}`,
        { signal },
      ),
    // The machine does not change while the page is open.
    staleTime: Infinity,
  });

export const modelListQuery = () =>
  queryOptions({
    queryKey: modelKeys.list(),
    queryFn: ({ signal }) => request(modelList, '/v1/models', { signal }),
    // Downloads report progress only in the model's status, so poll while one runs.
    refetchInterval: (query) =>
      query.state.data?.models.some((m) => m.status === 'downloading') ? 1000 : false,
  });

const modelPath = (id: string) => `/v1/models/${encodeURIComponent(id)}`;

export const startDownload = (id: string) =>
  request(modelStatus, `${modelPath(id)}/download`, { method: 'POST' });

export const cancelDownload = (id: string) =>
  request(modelStatus, `${modelPath(id)}/download`, { method: 'DELETE' });

export const deleteModel = (id: string) =>
  request(z.unknown(), modelPath(id), { method: 'DELETE' });

/** Imports a ggml file that is on the engine's machine. */
export const importModelByPath = (input: { path: string; id?: string }) =>
  request(modelStatus, '/v1/models/import', { method: 'POST', body: JSON.stringify(input) });

/** Uploads a ggml file from this computer into the engine's model library. */
export function uploadModel(
  file: File,
  options: { id?: string; onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal },
) {
  const form = new FormData();
  if (options.id) form.append('id', options.id);
  form.append('file', file, file.name);
  return upload('/v1/models/import', form, {
    schema: modelStatus,
    onProgress: options.onProgress,
    signal: options.signal,
  });
}
