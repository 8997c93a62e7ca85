import { queryOptions } from '@tanstack/react-query';
import { modelList, modelStatus } from '../../../../src-main/contract/models';
import { request } from '../../api/client';

export const modelKeys = {
  all: ['models'] as const,
  list: () => [...modelKeys.all, 'list'] as const,
};

export const modelListQuery = () =>
  queryOptions({
    queryKey: modelKeys.list(),
    queryFn: ({ signal }) => request(modelList, '/v1/models', { signal }),
    // Poll while something downloads; the events socket replaces this with the API issue.
    refetchInterval: (query) =>
      query.state.data?.models.some((m) => m.status === 'downloading') ? 1000 : false,
  });

export const startDownload = (id: string) =>
  request(modelStatus, `/v1/models/${encodeURIComponent(id)}/download`, { method: 'POST' });

export const cancelDownload = (id: string) =>
  request(modelStatus, `/v1/models/${encodeURIComponent(id)}/download`, { method: 'DELETE' });
