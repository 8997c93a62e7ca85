import { describe, expect, it } from 'vitest';
import type { JobView } from '../../../src-main/contract/jobs';
import { queryKeys } from '../api/query-keys';
import { effectsOf, reconnectDelayMs, upsertJob } from './engine-events';

const job = (over: Partial<JobView> = {}): JobView => ({
  id: 'j1',
  kind: 'transcribe',
  state: 'running',
  stage: 'transcribe',
  percent: 40,
  etaSec: 12,
  queuePosition: null,
  lane: 'interactive',
  mediaId: 'm1',
  params: {},
  result: null,
  error: null,
  note: null,
  attempts: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  ...over,
});

describe('effectsOf', () => {
  it('only patches the cache on a progress tick', () => {
    const next = job({ percent: 50 });
    expect(effectsOf({ type: 'job', job: next }, job())).toEqual({ job: next, invalidate: [] });
  });

  it('refetches jobs and media when a job appears or changes state', () => {
    expect(effectsOf({ type: 'job', job: job({ state: 'queued' }) }).invalidate).toEqual([
      queryKeys.jobs.list(),
      queryKeys.media.all,
    ]);
  });

  it('also refetches transcripts and search when a job finishes', () => {
    const done = job({ state: 'completed', percent: 100 });
    expect(effectsOf({ type: 'job', job: done }, job()).invalidate).toEqual([
      queryKeys.jobs.list(),
      queryKeys.media.all,
      queryKeys.transcripts.all,
      ['search'],
    ]);
  });

  it('refetches the transcript a streamed segment belongs to', () => {
    const output = { type: 'segment', transcriptId: 't1', segment: { t0: 0, t1: 1, text: 'x' } };
    expect(effectsOf({ type: 'job-output', jobId: 'j1', output })).toEqual({
      job: null,
      invalidate: [queryKeys.transcripts.detail('t1')],
    });
  });

  it('ignores hello and pong', () => {
    expect(effectsOf({ type: 'hello', protocol: 1, jobId: null })).toEqual({
      job: null,
      invalidate: [],
    });
    expect(effectsOf({ type: 'pong' }).invalidate).toEqual([]);
  });
});

describe('upsertJob', () => {
  it('replaces a known job in place and puts a new one first', () => {
    const list = { jobs: [job({ id: 'a' }), job({ id: 'b' })] };
    expect(upsertJob(list, job({ id: 'b', percent: 90 })).jobs.map((j) => j.percent)).toEqual([
      40, 90,
    ]);
    expect(upsertJob(list, job({ id: 'c' })).jobs.map((j) => j.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from 0.5 s up to 4 s with jitter, so a restarted engine is found again soon', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 5, 10].map((n) => reconnectDelayMs(n, mid))).toEqual([
      500, 1000, 2000, 4000, 4000, 4000,
    ]);
    expect(reconnectDelayMs(0, () => 0)).toBe(400);
    expect(reconnectDelayMs(0, () => 1)).toBe(600);
  });
});
