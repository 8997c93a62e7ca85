import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError, isEngineError } from '../errors';
import { remedyFacts } from '../../common/remedies';
import type { EngineLogger } from '../log/engine-log';
import type { JobLane, JobPage, JobPageOptions, JobRecord, JobsRepo } from '../store/jobs-repo';
import type { RunnableJob } from './job-definition';
import { JobQueue } from './job-queue';
import { laneFor, retryLane } from './lanes';
import { estimateEtaSec, overallProgress, type StageWeight } from './progress';

/**
 * A job as the engine reports it: the stored record plus live progress, ETA and queue position.
 * Structurally a `JobView` of the contract (plus the raw 0..1 `progress`).
 */
export interface JobSnapshot extends JobRecord {
  /** 0..100 over all stages. */
  percent: number;
  etaSec: number | null;
  /** 1 = next to start; null unless queued. */
  queuePosition: number | null;
}

export type JobEvent =
  { type: 'job'; job: JobSnapshot } | { type: 'job-output'; jobId: string; output: unknown };

export interface JobContext {
  readonly job: JobRecord;
  /** Aborts on cancel, on shutdown (the job is then re-queued) and at the time limit. */
  readonly signal: AbortSignal;
  /** Declares the stages this run will pass through and their weights. */
  plan(stages: readonly StageWeight[]): void;
  /** Enters `stage` (if not in it) and reports how far through it the job is (0..1). */
  progress(stage: string, fraction?: number): void;
  /** Limits the run, e.g. in proportion to the media's length once it is known. */
  setTimeLimit(ms: number, why: string): void;
  /** A folder for temporary files, removed whatever way the job ends. */
  tempDir(): Promise<string>;
  /** Something a person should know about the outcome. */
  note(text: string): void;
  /** Streams intermediate output (e.g. segments) to event subscribers. */
  output(output: unknown): void;
}

export type JobHandler = (context: JobContext) => Promise<unknown>;

export interface JobRunnerOptions {
  repo: JobsRepo;
  /** The kinds of job this runner runs (defineJob): each parses its parameters and runs. */
  jobs: readonly RunnableJob[];
  /** Jobs running at once. @default 1 */
  concurrency?: number;
  /** Parent of every job's temporary folder. */
  tempRoot: string;
  /** How many times an interrupted job is started again. @default 1 */
  restartRetries?: number;
  /** Queued jobs allowed before `submit` refuses with QUEUE_FULL; read at each submit. */
  maxQueued?: () => number;
  /** Told of every job that fails (the engine log). */
  log?: Pick<EngineLogger, 'error'>;
}

export interface JobRunner {
  /**
   * Starts work. With `resume` (the default, for the long-running engine) it first re-queues jobs
   * a previous run left running, picks up queued ones and removes stale temp folders; without it
   * (a one-off CLI run beside a server) it runs only jobs submitted to this runner.
   */
  start(options?: { resume?: boolean }): Promise<void>;
  /** Queues a job; the lane is decided by `laneFor` (a lane the kind does not allow is refused). */
  submit(job: {
    kind: string;
    lane?: JobLane;
    mediaId?: string | null;
    params?: Record<string, unknown>;
  }): JobSnapshot;
  /**
   * Cancels a queued or running job; a finished job is returned unchanged. A job whose row says
   * queued or running but which this runner does not hold (left by an engine that stopped, or
   * not loaded yet) is marked cancelled, so the row never claims work nobody does.
   */
  cancel(id: string): JobSnapshot;
  /**
   * Cancels every queued and running job of a media item (with `message` as the reason) and
   * resolves once the running ones have settled, so the item can be removed safely.
   */
  cancelForMedia(mediaId: string, message: string): Promise<void>;
  /** A new job with the same kind, media and parameters as a finished one. */
  retry(id: string): JobSnapshot;
  get(id: string): JobSnapshot | undefined;
  /** A page of the job list, newest first, filtered by state, kind and media; see JobsRepo.page. */
  list(options?: JobPageOptions): JobPage<JobSnapshot>;
  /** How many jobs are queued and running (an indexed count, not a list). */
  counts(): { queued: number; running: number };
  onEvent(listener: (event: JobEvent) => void): () => void;
  /** Stops taking jobs; running ones are aborted and re-queued for the next start. */
  stop(): Promise<void>;
}

interface Live {
  controller: AbortController;
  plan: readonly StageWeight[];
  stage: string | null;
  fraction: number;
  startedAt: number;
  timer?: NodeJS.Timeout;
  lastSaved: number;
  lastEmitted: number;
  note: string | null;
  settled: Promise<void>;
}

/** Progress is saved and announced at most this often (stage changes always go through). */
const throttleMs = 250;
/**
 * A waiting job's new place in line (moved by other jobs starting or being cancelled) is
 * announced at most this often: each announcement goes to every events client, and a place in
 * line needs no finer clock.
 */
export const queuePositionIntervalMs = 1000;
/**
 * Only the first this many waiting jobs hear of a new place in line; further back a place moves
 * with every change ahead of it, and is read with GET /v1/jobs. Announcing places to 100,000
 * waiting jobs (the highest `maxQueuedJobs`) would flood every events client.
 */
export const announcedPlaces = 1000;
/** Position announcements per turn of the event loop, so that a long queue never stalls it. */
const positionsPerTurn = 25;

/**
 * Runs stored jobs through their handlers: live > interactive > batch, FIFO within a lane, a few
 * at a time. Every change is saved to SQLite first and then announced, so a restart (or crash)
 * loses nothing: queued jobs stay queued and a running job is re-queued once. Main thread only.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const {
    repo,
    jobs: kinds,
    concurrency = 1,
    tempRoot,
    restartRetries = 1,
    maxQueued = () => Infinity,
    log,
  } = options;
  const byKind = new Map(kinds.map((kind) => [kind.kind, kind]));
  const queue = new JobQueue();
  const live = new Map<string, Live>();
  const listeners = new Set<(event: JobEvent) => void>();
  let started = false;
  let stopping = false;

  // Queue positions: computed in one pass when asked for after a change, and announced to
  // subscribers coalesced (only jobs whose position moved since they were last announced, at
  // most once per `queuePositionIntervalMs`), so cancelling or starting one job of thousands
  // waiting costs O(1) now and O(waiting) per interval, never O(waiting) messages per change.
  let positions: Map<string, number> | undefined;
  const announcedPosition = new Map<string, number>();
  let flushPending = false;
  let flushTimer: NodeJS.Timeout | undefined;
  let flushImmediate: NodeJS.Immediate | undefined;
  let lastFlushAt = -Infinity;
  /** The ids announced by the pass under way (a pass spans turns when many positions moved). */
  let pass: Set<string> | undefined;
  /** The order changed since the current pass began. */
  let dirty = false;

  /** A waiting job's place: from the cached map, else by walking the queue up to it. */
  const positionOf = (id: string): number | null => {
    if (!queue.has(id)) return null;
    if (positions) return positions.get(id) ?? null;
    let place = 0;
    for (const waiting of queue.ids()) {
      place += 1;
      if (waiting === id) return place;
    }
    return null;
  };

  const view = (record: JobRecord, place?: number): JobSnapshot => {
    const running = live.get(record.id);
    const progress = running?.stage
      ? overallProgress(running.plan, running.stage, running.fraction)
      : record.progress;
    return {
      ...record,
      progress,
      percent: Math.round(progress * 1000) / 10,
      etaSec: running ? estimateEtaSec(Date.now() - running.startedAt, progress) : null,
      queuePosition: place ?? positionOf(record.id),
    };
  };

  /** When a queue slot is likely to free up: the soonest running job's ETA, within 1 s..5 min. */
  const retryAfterSec = (): number => {
    let soonest = 30;
    for (const id of live.keys()) {
      const record = repo.get(id);
      const eta = record ? view(record).etaSec : null;
      if (eta !== null) soonest = Math.min(soonest, eta);
    }
    return Math.min(300, Math.max(1, Math.ceil(soonest)));
  };

  const emit = (event: JobEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A failing subscriber must not break the job.
      }
    }
  };

  const announce = (id: string, place?: number) => {
    const record = repo.get(id);
    if (!record) return;
    const job = view(record, place);
    if (job.queuePosition === null) announcedPosition.delete(id);
    else announcedPosition.set(id, job.queuePosition);
    emit({ type: 'job', job });
  };

  /** Announces, a slice per turn, every waiting job whose position moved; one pass at a time. */
  const flushPositions = () => {
    flushPending = false;
    flushTimer = undefined;
    flushImmediate = undefined;
    if (!pass) {
      pass = new Set();
      dirty = false;
    }
    let sent = 0;
    let place = 0;
    for (const id of queue.ids()) {
      place += 1;
      if (place > announcedPlaces) break;
      if (pass.has(id) || announcedPosition.get(id) === place) continue;
      if (sent === positionsPerTurn) {
        // The rest in the next turn, with the places as they are then.
        flushPending = true;
        flushImmediate = setImmediate(flushPositions);
        return;
      }
      announce(id, place);
      pass.add(id);
      sent += 1;
    }
    pass = undefined;
    lastFlushAt = Date.now();
    // Jobs this pass announced may have moved again meanwhile: the next pass, a window later.
    if (dirty) scheduleFlush();
  };

  const scheduleFlush = () => {
    if (flushPending || stopping) return;
    flushPending = true;
    const wait = lastFlushAt + queuePositionIntervalMs - Date.now();
    if (wait <= 0) {
      flushImmediate = setImmediate(flushPositions);
    } else {
      flushTimer = setTimeout(flushPositions, wait);
      flushTimer.unref();
    }
  };

  /** The waiting order changed: positions are recomputed when next asked and announced soon. */
  const queueChanged = () => {
    positions = undefined;
    dirty = true;
    scheduleFlush();
  };

  const dequeue = (id: string) => {
    if (queue.remove(id)) queueChanged();
  };

  const mustGet = (id: string) => {
    const record = repo.get(id);
    if (!record) throw new EngineError('NOT_FOUND', `There is no job ${id}.`);
    return record;
  };

  const run = async (record: JobRecord) => {
    const handler = byKind.get(record.kind)?.handler;
    const controller = new AbortController();
    let tempDir: string | undefined;
    const state: Live = {
      controller,
      plan: [],
      stage: null,
      fraction: 0,
      startedAt: Date.now(),
      lastSaved: 0,
      lastEmitted: 0,
      note: null,
      settled: Promise.resolve(),
    };
    live.set(record.id, state);
    const running = repo.markRunning(record.id, 'starting');
    announce(record.id);

    const context: JobContext = {
      job: running,
      signal: controller.signal,
      plan(stages) {
        state.plan = stages;
      },
      progress(stage, fraction = 0) {
        const stageChanged = stage !== state.stage;
        state.stage = stage;
        state.fraction = fraction;
        const now = Date.now();
        const percent = overallProgress(state.plan, stage, fraction);
        if (stageChanged || now - state.lastSaved >= throttleMs) {
          repo.setProgress(record.id, stage, percent);
          state.lastSaved = now;
        }
        if (stageChanged || now - state.lastEmitted >= throttleMs) {
          state.lastEmitted = now;
          announce(record.id);
        }
      },
      setTimeLimit(ms, why) {
        clearTimeout(state.timer);
        state.timer = setTimeout(() => {
          controller.abort(
            new EngineError(
              'TIMED_OUT',
              `The job took longer than its limit of ${Math.round(ms / 60000)} min (${why}). Try a smaller model or a GPU, or split the media.`,
            ),
          );
        }, ms);
        state.timer.unref();
      },
      async tempDir() {
        tempDir ??= join(tempRoot, `job-${record.id}`);
        await mkdir(tempDir, { recursive: true });
        return tempDir;
      },
      note(text) {
        state.note = text;
      },
      output(output) {
        emit({ type: 'job-output', jobId: record.id, output });
      },
    };

    try {
      if (!handler)
        throw new EngineError('INVALID_ARGUMENT', `No handler for jobs of kind "${record.kind}".`);
      const result = await handler(context);
      controller.signal.throwIfAborted();
      repo.setProgress(record.id, state.stage ?? 'finalize', 1);
      repo.finish(record.id, 'completed', { result, ...(state.note ? { note: state.note } : {}) });
    } catch (error) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
      if (isEngineError(reason, 'SHUTTING_DOWN')) {
        // Checkpoint: the job starts again (from the beginning) at the next start.
        repo.requeue(record.id);
      } else if (isEngineError(reason, 'CANCELLED')) {
        repo.finish(record.id, 'cancelled', {
          error: { code: 'CANCELLED', message: reason.message },
        });
      } else {
        const facts = isEngineError(reason) ? remedyFacts(reason.details) : undefined;
        const failure = isEngineError(reason)
          ? { code: reason.code, message: reason.message, ...(facts && { details: facts }) }
          : {
              code: 'INTERNAL',
              message: `The job failed unexpectedly: ${(reason as Error).message ?? String(reason)}`,
            };
        repo.finish(record.id, 'failed', {
          error: failure,
          ...(state.note ? { note: state.note } : {}),
        });
        log?.error({ jobId: record.id, kind: record.kind, ...failure, err: reason }, 'job failed');
      }
    } finally {
      clearTimeout(state.timer);
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
      live.delete(record.id);
      announce(record.id);
      dispatch();
    }
  };

  const dispatch = () => {
    if (!started || stopping) return;
    while (live.size < concurrency) {
      const next = queue.peek();
      if (next === undefined) break;
      dequeue(next);
      const record = repo.get(next);
      if (!record || record.state !== 'queued') continue;
      const settled = run(record);
      const state = live.get(record.id);
      if (state) state.settled = settled;
    }
  };

  const enqueue = (record: JobRecord) => {
    const last = queue.push(record.id, record.lane);
    // Behind every waiting job it moves nobody, and its place is the queue's length.
    if (!last) queueChanged();
    else positions?.set(record.id, queue.size);
  };

  return {
    async start({ resume = true } = {}) {
      await mkdir(tempRoot, { recursive: true });
      if (!resume) {
        started = true;
        dispatch();
        return;
      }
      // A crash cannot clean up after itself: folders of jobs that are not running are stale.
      for (const name of await readdir(tempRoot)) {
        if (name.startsWith('job-'))
          await rm(join(tempRoot, name), { recursive: true, force: true });
      }
      for (const record of repo.list({ states: ['running'] })) {
        if (record.attempts <= restartRetries) {
          repo.requeue(record.id);
        } else {
          repo.finish(record.id, 'failed', {
            error: {
              code: 'INTERRUPTED',
              message: `The job was interrupted ${record.attempts} times (the engine stopped while it ran), so it was not started again. Retry it when the engine runs steadily.`,
            },
          });
        }
      }
      for (const record of repo.list({ states: ['queued'] })) enqueue(record);
      started = true;
      dispatch();
    },
    submit({ kind, lane: requested, mediaId = null, params = {} }) {
      if (stopping)
        throw new EngineError(
          'SHUTTING_DOWN',
          'The engine is shutting down and accepts no new jobs.',
        );
      const definition = byKind.get(kind);
      if (!definition) {
        throw new EngineError(
          'INVALID_ARGUMENT',
          `Unknown job kind "${kind}"; known kinds: ${[...byKind.keys()].join(', ')}.`,
        );
      }
      const lane = laneFor(kind, requested);
      // Parsed once, here: the stored parameters are complete, defaults applied.
      const parsed = definition.parseParams(params);
      const limit = maxQueued();
      if (queue.size >= limit) {
        throw new EngineError(
          'QUEUE_FULL',
          `${queue.size} jobs are already waiting (the limit is ${limit}). Try again once some have finished, or raise "maxQueuedJobs" in the settings.`,
          { details: { queued: queue.size, limit, retryAfterSec: retryAfterSec() } },
        );
      }
      const record = repo.insert({ kind, lane, mediaId, params: parsed });
      enqueue(record);
      announce(record.id);
      dispatch();
      return view(repo.get(record.id)!);
    },
    cancel(id) {
      const record = mustGet(id);
      const running = live.get(id);
      if (queue.has(id)) {
        dequeue(id);
        repo.finish(id, 'cancelled', {
          error: { code: 'CANCELLED', message: 'The job was cancelled before it started.' },
        });
        announce(id);
      } else if (running) {
        running.controller.abort(new EngineError('CANCELLED', 'The job was cancelled.'));
      } else if (record.state === 'queued' || record.state === 'running') {
        // Nobody does this work: a stopped engine left the row, or this runner has not loaded it.
        repo.finish(id, 'cancelled', {
          error: {
            code: 'CANCELLED',
            message: `The job was cancelled. It was ${record.state} in the library, but no engine was running it (an engine that stopped left it).`,
          },
        });
        announce(id);
      }
      return view(repo.get(id) ?? record);
    },
    async cancelForMedia(mediaId, message) {
      const reason = new EngineError('CANCELLED', message);
      const ofMedia = (id: string) => repo.get(id)?.mediaId === mediaId;
      const waiting = [...queue.ids()].filter(ofMedia);
      for (const id of waiting) {
        dequeue(id);
        repo.finish(id, 'cancelled', { error: { code: 'CANCELLED', message } });
        announce(id);
      }
      const running = [...live.entries()].filter(([id]) => ofMedia(id)).map(([, state]) => state);
      for (const state of running) state.controller.abort(reason);
      await Promise.allSettled(running.map((state) => state.settled));
    },
    retry(id) {
      const record = mustGet(id);
      if (record.state === 'queued' || record.state === 'running') {
        throw new EngineError(
          'CONFLICT',
          `Job ${id} is still ${record.state}; cancel it first or wait for it.`,
        );
      }
      return this.submit({
        kind: record.kind,
        lane: retryLane(record.kind, record.lane),
        mediaId: record.mediaId,
        params: record.params,
      });
    },
    get(id) {
      const record = repo.get(id);
      return record && view(record);
    },
    list(options = {}) {
      const page = repo.page(options);
      // Many places at once: one pass over the queue for all of them.
      if (page.jobs.some((job) => queue.has(job.id))) positions ??= queue.positions();
      return { jobs: page.jobs.map((job) => view(job)), nextCursor: page.nextCursor };
    },
    counts() {
      return repo.count(['queued', 'running']);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopping = true;
      clearTimeout(flushTimer);
      if (flushImmediate) clearImmediate(flushImmediate);
      flushPending = false;
      const reason = new EngineError(
        'SHUTTING_DOWN',
        'The engine is shutting down; the job will start again next time.',
      );
      const running = [...live.values()];
      for (const state of running) state.controller.abort(reason);
      await Promise.allSettled(running.map((state) => state.settled));
    },
  };
}
