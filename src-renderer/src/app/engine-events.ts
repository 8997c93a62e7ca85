import type { QueryKey } from '@tanstack/react-query';
import type { EventsServerMessage } from '../../../src-main/contract/events';
import type { JobView } from '../../../src-main/contract/jobs';
import { queryKeys } from '../api/query-keys';

/** What one events message means for the cached server state. */
export interface EventEffects {
  /** A job's latest state, to write into the cached job list and detail in place. */
  job: JobView | null;
  /** Queries to refetch. */
  invalidate: QueryKey[];
}

const finished = new Set<JobView['state']>(['completed', 'failed', 'cancelled']);

/**
 * The cache work a message asks for. `previous` is the job's cached state, if any: progress
 * ticks only patch the cached job, while a change of state (new, started, finished) also
 * refetches what depends on it (the media list shows each item's job; a finished
 * transcription changes transcripts and search results).
 */
export function effectsOf(message: EventsServerMessage, previous?: JobView): EventEffects {
  if (message.type === 'job') {
    const { job } = message;
    if (previous && previous.state === job.state) return { job, invalidate: [] };
    const invalidate: QueryKey[] = [queryKeys.jobs.list(), queryKeys.media.all];
    if (finished.has(job.state)) invalidate.push(queryKeys.transcripts.all, ['search']);
    return { job, invalidate };
  }
  if (message.type === 'job-output' && message.output.type === 'segment') {
    const transcriptId = message.output.transcriptId;
    if (typeof transcriptId === 'string') {
      return { job: null, invalidate: [queryKeys.transcripts.detail(transcriptId)] };
    }
  }
  return { job: null, invalidate: [] };
}

/** Replaces (or adds, first) `job` in a cached job list. */
export function upsertJob<T extends { jobs: JobView[] }>(list: T, job: JobView): T {
  const index = list.jobs.findIndex((j) => j.id === job.id);
  const jobs =
    index === -1 ? [job, ...list.jobs] : list.jobs.map((j, i) => (i === index ? job : j));
  return { ...list, jobs };
}

/**
 * Delay before reconnect attempt `attempt` (0-based): 0.5 s doubling to 4 s, ±20 % jitter. The
 * engine is local: a restarted one is found within seconds, and a try costs one small request.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(4_000, 500 * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}
