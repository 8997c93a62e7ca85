import { useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';
import { create } from 'zustand';
import { eventsServerMessage } from '../../../src-main/contract/events';
import type { JobView } from '../../../src-main/contract/jobs';
import { wsTicket } from '../../../src-main/contract/ws-tickets';
import { ApiError, request, wsUrl } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { effectsOf, reconnectDelayMs, upsertJob } from './engine-events';
import { noteEngineAway, noteEngineBack } from './session';

/**
 * `offline`: the socket is down but the engine answers (views poll meanwhile); `unreachable`:
 * the engine does not answer at all (stopped or restarting), and the studio says so.
 */
export type EventsConnection = 'connecting' | 'open' | 'offline' | 'unreachable';

/** Whether live updates flow; the top bar shows `offline`, the studio `unreachable`. */
export const useEventsConnection = create<{ state: EventsConnection }>()(() => ({
  state: 'connecting',
}));

type JobListData = { jobs: JobView[] };

/** Batches invalidations so a burst of segments refetches each query once. */
function createInvalidator(queryClient: QueryClient) {
  const pending = new Map<string, QueryKey>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    add(keys: readonly QueryKey[]) {
      for (const key of keys) pending.set(JSON.stringify(key), key);
      if (pending.size === 0 || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        const keys = [...pending.values()];
        pending.clear();
        for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
      }, 250);
    },
    dispose: () => clearTimeout(timer),
  };
}

/**
 * Keeps the server state fresh from `WS /v1/events`: gets a one-use ticket, opens the socket,
 * writes job progress into the cache and invalidates what a change affects. Reconnects with
 * backoff (catching up with a refetch) and reports the connection in `useEventsConnection`.
 */
export function useEngineEvents(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const setState = (state: EventsConnection) => useEventsConnection.setState({ state });
    const invalidator = createInvalidator(queryClient);
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let disposed = false;

    const scheduleReconnect = (state: EventsConnection = 'offline') => {
      if (disposed) return;
      setState(state);
      clearTimeout(retry);
      retry = setTimeout(connect, reconnectDelayMs(attempt));
      attempt += 1;
    };

    const onMessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      let json: unknown;
      try {
        json = JSON.parse(event.data);
      } catch {
        return;
      }
      const parsed = eventsServerMessage.safeParse(json);
      if (!parsed.success) return;
      const message = parsed.data;
      const previous =
        message.type === 'job'
          ? queryClient
              .getQueryData<JobListData>(queryKeys.jobs.list())
              ?.jobs.find((j) => j.id === message.job.id)
          : undefined;
      const { job, invalidate } = effectsOf(message, previous);
      if (job) {
        // The Queue's list and the library's (keyed under it) alike.
        queryClient.setQueriesData<JobListData>({ queryKey: queryKeys.jobs.list() }, (list) =>
          list ? upsertJob(list, job) : list,
        );
        queryClient.setQueryData(queryKeys.jobs.detail(job.id), job);
      }
      invalidator.add(invalidate);
    };

    async function connect() {
      if (disposed) return;
      if (attempt === 0) setState('connecting');
      let ticket: string;
      try {
        ticket = (await request(wsTicket, '/v1/ws-tickets', { method: 'POST' })).ticket;
      } catch (error) {
        // Not answering, or answering only that it is stopping: the engine is away. (A 401 has
        // shown the sign-in screen already, which ends this hook.)
        const away = error instanceof ApiError && (error.status === 0 || error.status >= 502);
        if (away) noteEngineAway();
        scheduleReconnect(away ? 'unreachable' : 'offline');
        return;
      }
      if (disposed) return;
      const ws = new WebSocket(wsUrl(`/v1/events?ticket=${encodeURIComponent(ticket)}`));
      socket = ws;
      ws.onopen = () => {
        const reconnected = attempt > 0;
        attempt = 0;
        setState('open');
        noteEngineBack();
        // Back after a drop (the engine may have restarted): everything on screen is fetched
        // again, not only what events would have told.
        if (reconnected) void queryClient.invalidateQueries();
      };
      ws.onmessage = onMessage;
      ws.onclose = (event) => {
        if (disposed || socket !== ws) return;
        // Closed by the engine stopping (not for a revoked token, 4401): a refusal from here
        // on means it came back without this browser's session.
        if (event.code !== 4401) noteEngineAway();
        scheduleReconnect();
      };
    }

    void connect();
    return () => {
      disposed = true;
      clearTimeout(retry);
      invalidator.dispose();
      socket?.close();
    };
  }, [queryClient]);
}
