import { queryOptions } from '@tanstack/react-query';
import { systemInfo } from '../../../../src-main/contract/system';
import { request } from '../../api/client';

export const systemKeys = {
  all: ['system'] as const,
  info: () => [...systemKeys.all, 'info'] as const,
};

export const systemInfoQuery = () =>
  queryOptions({
    queryKey: systemKeys.info(),
    queryFn: ({ signal }) => request(systemInfo, '/v1/system', { signal }),
  });
