import { queryOptions } from '@tanstack/react-query';
import { captionPresetList } from '../../../../src-main/contract/captions';
import { settings, type SettingsPatch } from '../../../../src-main/contract/settings';
import {
  createdToken,
  tokenInfo,
  tokenList,
  type CreateTokenBody,
} from '../../../../src-main/contract/tokens';
import { request } from '../../api/client';
import { queryKeys } from '../../api/query-keys';

export const settingsQuery = () =>
  queryOptions({
    queryKey: queryKeys.settings,
    queryFn: ({ signal }) => request(settings, '/v1/settings', { signal }),
  });

export const saveSettings = (patch: SettingsPatch) =>
  request(settings, '/v1/settings', { method: 'PATCH', body: JSON.stringify(patch) });

export const captionPresetsQuery = () =>
  queryOptions({
    queryKey: ['caption-presets'] as const,
    queryFn: ({ signal }) => request(captionPresetList, '/v1/caption-presets', { signal }),
    staleTime: Infinity,
  });

export const tokensQuery = () =>
  queryOptions({
    queryKey: queryKeys.tokens,
    queryFn: ({ signal }) => request(tokenList, '/v1/tokens', { signal }),
  });

export const createToken = (body: CreateTokenBody) =>
  request(createdToken, '/v1/tokens', { method: 'POST', body: JSON.stringify(body) });

export const revokeToken = (id: string) =>
  request(tokenInfo, `/v1/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
