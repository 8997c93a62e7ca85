import { plainJobs } from '../test-support/plain-jobs';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database';
import { createJobsRepo, type JobsRepo } from '../store/jobs-repo';
import {
  createJobRunner,
  type JobEvent,
  type JobHandler,
  type JobRunner,
  type JobSnapshot,
  announcedPlaces,
  queuePositionIntervalMs,
} from './job-runner';

let db: Db;
let repo: JobsRepo;
let tempRoot: string;
let runner: JobRunner | undefined;

beforeEach(() => {
  db = openDatabase(':memory:');
  repo = createJobsRepo(db);
  tempRoot = mkdtempSync(join(tmpdir(), 'studio-jobs-'));
});
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
  rmSync(tempRoot, { recursive: true, force: true });
});

/** A handler that walks two stages in `steps` steps of `stepMs`, honouring its signal. */
const stepped =
  (steps = 4, stepMs = 20): JobHandler =>
  async (ctx) => {
    ctx.plan([
      { stage: 'decode', weight: 1 },
      { stage: 'transcribe', weight: 3 },
    ]);
    const dir = await ctx.tempDir();
    writeFileSync(join(dir, 'scratch.bin'), 'x');
    for (const stage of ['decode', 'transcribe']) {
      for (let i = 0; i <= steps; i += 1) {
        ctx.signal.throwIfAborted();
        ctx.progress(stage, i / steps);
        await sleep(stepMs);
      }
    }
    return { dir, params: ctx.job.params };
  };

const make = (handlers: Record<string, JobHandler>, concurrency = 1) => {
  runner = createJobRunner({ repo, jobs: plainJobs(handlers), concurrency, tempRoot });
  return runner;
};

const settled = (r: JobRunner, id: string) =>
  new Promise<JobSnapshot>((resolve) => {
    const check = () => {
      const job = r.get(id);
      if (job && ['completed', 'failed', 'cancelled'].includes(job.state)) {
        off();
        resolve(job);
      }
    };
    const off = r.onEvent(check);
    check();
  });

describe('job runner', () => {
  it('runs a job through weighted stages, announcing progress and ETA, and cleans its temp folder', async () => {
    const r = make({ work: stepped() });
    await r.start();
    const seen: JobEvent[] = [];
    r.onEvent((e) => seen.push(e));
    const job = r.submit({ kind: 'work', params: { a: 1 } });
    const done = await settled(r, job.id);
    expect(done).toMatchObject({
      state: 'completed',
      percent: 100,
      attempts: 1,
      queuePosition: null,
    });
    const result = done.result as { dir: string; params: unknown };
    expect(result.params).toEqual({ a: 1 });
    expect(existsSync(result.dir)).toBe(false);
    const percents = seen.flatMap((e) =>
      e.type === 'job' && e.job.state === 'running' ? [e.job.percent] : [],
    );
    expect(percents.length).toBeGreaterThan(2);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    // Stage weights: the end of decode is 25 %.
    expect(percents).toContain(25);
    expect(repo.get(job.id)?.stage).toBe('transcribe');
  });

  it('starts jobs live > interactive > batch and FIFO within a lane, with queue positions', async () => {
    const order: string[] = [];
    const r = make({
      work: async (ctx) => {
        order.push(String(ctx.job.params.name));
        await sleep(30);
      },
    });
    await r.start();
    const first = r.submit({ kind: 'work', params: { name: 'first' } });
    const b = r.submit({ kind: 'work', lane: 'batch', params: { name: 'batch' } });
    const i = r.submit({ kind: 'work', lane: 'interactive', params: { name: 'interactive' } });
    const l = r.submit({ kind: 'work', lane: 'live', params: { name: 'live' } });
    expect([l, i, b].map((j) => r.get(j.id)?.queuePosition)).toEqual([1, 2, 3]);
    await settled(r, b.id);
    expect(order).toEqual(['first', 'live', 'interactive', 'batch']);
    expect(r.get(first.id)?.state).toBe('completed');
  });

  it('cancels a queued job at once and a running one through its signal', async () => {
    const r = make({ work: stepped(50, 20) });
    await r.start();
    const running = r.submit({ kind: 'work' });
    const waiting = r.submit({ kind: 'work' });
    expect(r.cancel(waiting.id)).toMatchObject({ state: 'cancelled', queuePosition: null });
    await sleep(100);
    r.cancel(running.id);
    const done = await settled(r, running.id);
    expect(done).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
    expect(r.cancel(running.id).state).toBe('cancelled'); // a second cancel changes nothing
  });

  it('refuses a submit beyond the queue limit with QUEUE_FULL and a retry hint, and accepts once a slot frees', async () => {
    let limit = 2;
    runner = createJobRunner({
      repo,
      jobs: plainJobs({ work: stepped(50, 20) }),
      tempRoot,
      maxQueued: () => limit,
    });
    const r = runner;
    await r.start();
    r.submit({ kind: 'work' }); // starts running at once: not counted as waiting
    const a = r.submit({ kind: 'work' });
    r.submit({ kind: 'work' });
    let refused: unknown;
    try {
      r.submit({ kind: 'work' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({
      code: 'QUEUE_FULL',
      details: { queued: 2, limit: 2, retryAfterSec: expect.any(Number) },
    });
    const retry = (refused as { details: { retryAfterSec: number } }).details.retryAfterSec;
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(300);
    expect(r.list().jobs.length).toBe(3); // nothing was stored for the refused job
    r.cancel(a.id);
    expect(r.submit({ kind: 'work' }).state).toBe('queued');
    limit = 10; // read at each submit
    expect(r.submit({ kind: 'work' }).state).toBe('queued');
  });

  it('records a failure with the engine code and message, and a plain error as INTERNAL', async () => {
    const r = make({
      engine: async () => {
        const { EngineError } = await import('../errors');
        throw new EngineError('MEDIA_NO_AUDIO', '"talk.mp4" has no audio track.');
      },
      plain: async () => {
        throw new Error('boom');
      },
    });
    await r.start();
    const a = await settled(r, r.submit({ kind: 'engine' }).id);
    const b = await settled(r, r.submit({ kind: 'plain' }).id);
    expect(a).toMatchObject({
      state: 'failed',
      error: { code: 'MEDIA_NO_AUDIO', message: '"talk.mp4" has no audio track.' },
    });
    expect(b).toMatchObject({
      state: 'failed',
      error: { code: 'INTERNAL', message: expect.stringContaining('boom') },
    });
  });

  it('stores at most 2,000 characters of an error message, however long the error', async () => {
    const r = make({
      huge: async () => {
        throw new Error(`regular expression too large: ${'x'.repeat(40_000)}`);
      },
    });
    await r.start();
    const done = await settled(r, r.submit({ kind: 'huge' }).id);
    expect(done.error?.message.length).toBeLessThanOrEqual(2000);
    expect(done.error?.message).toMatch(
      /^The job failed unexpectedly: regular expression too large: x+…$/,
    );
    expect(repo.get(done.id)?.error?.message.length).toBeLessThanOrEqual(2000);
  });

  it('fails a job that runs past its time limit, saying why', async () => {
    const r = make({
      slow: async (ctx) => {
        ctx.setTimeLimit(100, '3× the 11 s of media');
        await stepped(100, 20)(ctx);
      },
    });
    await r.start();
    const done = await settled(r, r.submit({ kind: 'slow' }).id);
    expect(done).toMatchObject({ state: 'failed', error: { code: 'TIMED_OUT' } });
    expect(done.error?.message).toMatch(/3× the 11 s of media/);
  });

  it('on stop re-queues running jobs, and the next start runs them again', async () => {
    const r = make({ work: stepped(50, 20) });
    await r.start();
    const job = r.submit({ kind: 'work' });
    await sleep(100);
    await r.stop();
    expect(repo.get(job.id)).toMatchObject({ state: 'queued', attempts: 1 });
    expect(existsSync(join(tempRoot, `job-${job.id}`))).toBe(false);
    runner = createJobRunner({ repo, jobs: plainJobs({ work: stepped(2, 5) }), tempRoot });
    await runner.start();
    expect(await settled(runner, job.id)).toMatchObject({ state: 'completed', attempts: 2 });
  });

  it('after a crash re-queues an interrupted job once, then fails it, and removes stale temp folders', async () => {
    const once = repo.insert({ kind: 'work', lane: 'batch', mediaId: null, params: {} });
    repo.markRunning(once.id, 'transcribe');
    const twice = repo.insert({ kind: 'work', lane: 'batch', mediaId: null, params: {} });
    repo.markRunning(twice.id, 'transcribe');
    repo.requeue(twice.id);
    repo.markRunning(twice.id, 'transcribe');
    mkdirSync(join(tempRoot, 'job-from-a-crash'));
    const r = make({ work: stepped(1, 5) });
    await r.start();
    expect(existsSync(join(tempRoot, 'job-from-a-crash'))).toBe(false);
    expect(await settled(r, once.id)).toMatchObject({ state: 'completed', attempts: 2 });
    expect(existsSync(join(tempRoot, `job-${once.id}`))).toBe(false);
    expect(r.get(twice.id)).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED' } });
  });

  it('refuses an unknown kind and retries a finished job as a new one', async () => {
    const r = make({ work: stepped(1, 5) });
    await r.start();
    expect(() => r.submit({ kind: 'dance' })).toThrow(
      /Unknown job kind "dance"; known kinds: work/,
    );
    const first = await settled(r, r.submit({ kind: 'work', params: { n: 1 } }).id);
    const again = r.retry(first.id);
    expect(again.id).not.toBe(first.id);
    expect(await settled(r, again.id)).toMatchObject({ state: 'completed', params: { n: 1 } });
  });
});

describe('job runner under a mass cancel', () => {
  const n = 500;
  const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** Queue-position announcements: `job` events of jobs that are (still) queued. */
  const positionUpdates = (events: JobEvent[]) =>
    events.filter((e) => e.type === 'job' && e.job.state === 'queued');

  /** A runner that is not started, so every submitted job waits; the events from here on. */
  const queueUp = async () => {
    const r = make({ work: stepped(1, 5) });
    const jobs = Array.from({ length: n }, (_, i) => r.submit({ kind: 'work', params: { i } }));
    // Whatever the submits announced has gone out before counting starts.
    await sleep(600);
    const events: JobEvent[] = [];
    r.onEvent((e) => events.push(e));
    return { r, jobs, events };
  };

  it('announces each job a constant number of times when 500 queued jobs are cancelled in one go', async () => {
    const { r, jobs, events } = await queueUp();
    for (const job of jobs) r.cancel(job.id);
    await sleep(600);
    // One "cancelled" per job; the positions of the rest were not re-announced at every cancel.
    expect(events.filter((e) => e.type === 'job' && e.job.state === 'cancelled')).toHaveLength(n);
    expect(events.length).toBeLessThanOrEqual(2 * n + 10);
  });

  it('announces a queued job at most once per position interval when cancels arrive one request at a time, and ends with true positions', async () => {
    const { r, jobs, events } = await queueUp();
    const started = Date.now();
    // The first 400 from the front (every other job moves up each time), one per event-loop turn
    // as HTTP requests arrive.
    for (const job of jobs.slice(0, 400)) {
      r.cancel(job.id);
      await nextTick();
    }
    const elapsed = Date.now() - started;
    await sleep(queuePositionIntervalMs + 300);
    const updates = positionUpdates(events);
    const times = new Map<string, number[]>();
    for (const e of updates) {
      if (e.type !== 'job') continue;
      times.set(e.job.id, [...(times.get(e.job.id) ?? []), e.job.queuePosition ?? -1]);
    }
    // At most one update per job per interval of the run, plus the one after it.
    const windows = Math.ceil(elapsed / queuePositionIntervalMs) + 2;
    for (const positions of times.values()) expect(positions.length).toBeLessThanOrEqual(windows);
    // What a client last heard is where each remaining job really is.
    const remaining = jobs.slice(400);
    for (const [index, job] of remaining.entries()) {
      expect(times.get(job.id)?.at(-1)).toBe(index + 1);
      expect(r.get(job.id)?.queuePosition).toBe(index + 1);
    }
    expect(r.counts()).toEqual({ queued: 100, running: 0 });
  });

  it('re-announces places only to the first waiting jobs of a very long queue', async () => {
    const r = make({ work: stepped(1, 5) });
    const jobs = Array.from({ length: announcedPlaces + 500 }, () => r.submit({ kind: 'work' }));
    const events: JobEvent[] = [];
    r.onEvent((e) => events.push(e));
    r.cancel(jobs[0]!.id);
    await sleep(300);
    const moved = positionUpdates(events).map((e) => (e.type === 'job' ? e.job.id : ''));
    expect(moved).toEqual(jobs.slice(1, announcedPlaces + 1).map((j) => j.id));
    // Further back the place is still exact when asked for.
    expect(r.get(jobs.at(-1)!.id)?.queuePosition).toBe(announcedPlaces + 499);
  });

  it('submits 500 jobs with one announcement each and lists them with their positions', async () => {
    const r = make({ work: stepped(1, 5) });
    const events: JobEvent[] = [];
    r.onEvent((e) => events.push(e));
    const jobs = Array.from({ length: n }, () => r.submit({ kind: 'work' }));
    await sleep(600);
    expect(events.length).toBe(n);
    expect(jobs.map((j) => j.queuePosition)).toEqual(jobs.map((_, i) => i + 1));
    const page = r.list({ limit: 500, states: ['queued'] });
    expect(page.jobs.map((j) => j.queuePosition)).toEqual(jobs.map((_, i) => n - i));
  });
});
