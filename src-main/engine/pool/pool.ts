import { EngineError, abortReason, errorCodes, type ErrorCode } from '../errors';
import { LaneQueue, type Lane } from './lane-queue';
import {
  modelKey,
  type FromWorker,
  type ModelSpec,
  type RanOn,
  type SerializedError,
} from './messages';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SpawnWorker, WorkerExit, WorkerProcess } from './worker-process';

interface PoolJobBase {
  lane: Lane;
  signal?: AbortSignal;
  onStage?: (stage: 'loading-model' | 'transcribing') => void;
  onProgress?: (progress: number) => void;
  onSegment?: (segment: unknown) => void;
  /** Called whenever the job's place in the queue changes (1 = next to start). */
  onQueuePosition?: (position: number) => void;
}

/** A transcription (or the runtime's equivalent: a diarization) with a loaded model. */
export interface TranscribeJob extends PoolJobBase {
  model: ModelSpec;
  /** 16 kHz mono samples. */
  pcm: Float32Array;
  /** Whisper parameters, validated by the caller. */
  params: Record<string, unknown>;
}

/** One of the worker's other operations (worker-main.ts `WorkerOps`), by name. */
export interface OpJob extends PoolJobBase {
  op: string;
  /** Plain data (structured clone); keep large samples in `pcm`. */
  input: unknown;
  /** Samples for the operation (e.g. speech detection), sent in pieces when large. */
  pcm?: Float32Array;
}

export type PoolJob = TranscribeJob | OpJob;

const isOpJob = (job: PoolJob): job is OpJob => 'op' in job;

/**
 * Samples per `pcm` piece (1 MiB, 16 s of audio). Serializing one IPC message copies it on this
 * thread: 38 MB (a 10-minute window) held the event loop 35–95 ms on a 2-core machine, a
 * 1 MiB piece about 1–2 ms, with the loop free between pieces.
 */
export const PCM_PIECE_SAMPLES = 256 * 1024;

export interface PoolResult {
  result: unknown;
  ranOn: RanOn;
  /** 1, or 2 when a crashed worker made the pool retry the job. */
  attempts: number;
  /** Time spent waiting in the queue before the last attempt started. */
  waitedMs: number;
}

export interface PoolOptions {
  spawnWorker: SpawnWorker;
  /** Number of worker processes. */
  workers: number;
  /** Per worker: loaded models are evicted LRU to stay within this. @default 4 GiB */
  memoryBudgetBytes?: number;
  /** Per worker: a model unused this long is unloaded. @default 300000 */
  idleUnloadMs?: number;
  /** After a cancel, a worker still busy after this long is killed and replaced. @default 2000 */
  cancelGraceMs?: number;
  /** A job whose worker crashes is retried this many times on a fresh worker. @default 1 */
  crashRetries?: number;
  /**
   * Workers that exit before they are ready, this many times in a row, fail every waiting job
   * (the worker cannot start: a missing or broken native library) instead of being restarted
   * forever; the next submitted job tries again. @default 3
   */
  maxStartFailures?: number;
}

export interface PoolStats {
  workers: { id: number; pid: number | undefined; busy: boolean; models: string[] }[];
  queued: Record<Lane, number>;
  running: number;
}

export interface WhisperPool {
  /** Queues a transcription; resolves with what ran where, rejects with an EngineError. */
  submit(job: PoolJob): Promise<PoolResult>;
  stats(): PoolStats;
  /** Rejects queued jobs, kills the workers. */
  close(): Promise<void>;
}

interface Task {
  job: PoolJob;
  lane: Lane;
  key: string;
  seq: number;
  attempts: number;
  queuedAt: number;
  lastPosition?: number;
  cancelled: boolean;
  settled: boolean;
  resolve(result: PoolResult): void;
  reject(error: unknown): void;
}

interface Slot {
  id: number;
  process: WorkerProcess;
  ready: boolean;
  task: Task | null;
  /** Models this worker has loaded, as far as the pool knows (for affinity only). */
  models: Set<string>;
  killTimer?: NodeJS.Timeout;
  /** The task whose samples are being sent in pieces (its request follows them). */
  uploading?: Task;
}

const deserialize = (error: SerializedError): EngineError => {
  const code: ErrorCode =
    error.code in errorCodes ? (error.code as ErrorCode) : 'TRANSCRIBE_FAILED';
  return new EngineError(code, error.message, error.details ? { details: error.details } : {});
};

const describeExit = (exit: WorkerExit) =>
  (exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`) +
  (exit.stderrTail ? `; its last output: ${exit.stderrTail.split('\n').at(-1)}` : '');

/**
 * Runs Whisper jobs on a fixed set of worker processes. Jobs wait in lanes (live > interactive >
 * batch, FIFO within a lane); an idle worker that already holds the job's model is preferred.
 * A crash takes only its job, which is retried on a fresh worker; a cancelled job is aborted
 * softly and its worker killed if it does not stop in time. Main-thread only.
 */
export function createWhisperPool(options: PoolOptions): WhisperPool {
  const {
    spawnWorker,
    workers,
    memoryBudgetBytes = 4 * 1024 ** 3,
    idleUnloadMs = 300_000,
    cancelGraceMs = 2000,
    crashRetries = 1,
    maxStartFailures = 3,
  } = options;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `The pool needs at least one worker (got ${workers}).`,
    );
  }
  const queue = new LaneQueue<Task>();
  const slots = new Map<number, Slot>();
  let nextWorkerId = 1;
  let nextSeq = 1;
  let closed = false;
  /** Workers in a row that exited before they were ready. */
  let startFailures = 0;

  const settle = (task: Task, outcome: { result: PoolResult } | { error: unknown }) => {
    if (task.settled) return;
    task.settled = true;
    if ('result' in outcome) task.resolve(outcome.result);
    else task.reject(outcome.error);
  };

  const announcePositions = () => {
    for (const task of queue.all()) {
      const position = queue.position(task);
      if (position !== undefined && position !== task.lastPosition) {
        task.lastPosition = position;
        task.job.onQueuePosition?.(position);
      }
    }
  };

  const finishSlotTask = (slot: Slot) => {
    clearTimeout(slot.killTimer);
    slot.task = null;
    dispatch();
  };

  /**
   * Runs one of the job's callbacks. They run inside this message handler, so one that throws (a
   * listener saving to a transcript deleted meanwhile, say) would otherwise escape to the process:
   * instead it fails that job alone, and its worker is told to stop (and killed if it does not).
   * The slot stays busy until the worker answers, so no other job starts on it meanwhile.
   */
  const guarded = (slot: Slot, task: Task, callback: () => void) => {
    if (task.settled) return;
    try {
      callback();
    } catch (error) {
      settle(task, { error });
      task.cancelled = true;
      slot.process.send({ type: 'cancel', seq: task.seq });
      slot.killTimer = setTimeout(() => slot.process.kill(), cancelGraceMs);
    }
  };

  const onMessage = (slot: Slot, message: FromWorker) => {
    if (message.type === 'ready') {
      slot.ready = true;
      startFailures = 0;
      dispatch();
      return;
    }
    const task = slot.task;
    if (!task || message.seq !== task.seq) return;
    switch (message.type) {
      case 'stage':
        guarded(slot, task, () => task.job.onStage?.(message.stage));
        break;
      case 'progress':
        guarded(slot, task, () => task.job.onProgress?.(message.progress));
        break;
      case 'segment':
        guarded(slot, task, () => task.job.onSegment?.(message.segment));
        break;
      case 'result':
        if (!isOpJob(task.job)) slot.models.add(task.key);
        settle(task, {
          result: {
            result: message.result,
            ranOn: { ...message.ranOn, workerId: slot.id },
            attempts: task.attempts,
            waitedMs: Date.now() - task.queuedAt,
          },
        });
        finishSlotTask(slot);
        break;
      case 'error':
        settle(task, {
          error:
            task.cancelled && task.job.signal
              ? abortReason(task.job.signal, 'The transcription')
              : deserialize(message.error),
        });
        finishSlotTask(slot);
        break;
    }
  };

  const onExit = (slot: Slot, exit: WorkerExit) => {
    clearTimeout(slot.killTimer);
    slots.delete(slot.id);
    const task = slot.task;
    if (task && !task.settled) {
      if (task.cancelled) {
        settle(task, {
          error: task.job.signal
            ? abortReason(task.job.signal, 'The transcription')
            : new EngineError('CANCELLED', 'The transcription was cancelled.'),
        });
      } else if (task.attempts <= crashRetries && !closed) {
        queue.unshift(task);
      } else {
        settle(task, {
          error: new EngineError(
            'WORKER_CRASHED',
            `The transcription worker crashed${task.attempts > 1 ? ` on all ${task.attempts} attempts` : ''} (${describeExit(exit)}). ` +
              'The job was not completed; try again, or try another model or device.',
            { details: { exitCode: exit.code, signal: exit.signal, stderrTail: exit.stderrTail } },
          ),
        });
      }
    }
    startFailures = slot.ready ? 0 : startFailures + 1;
    if (startFailures >= maxStartFailures) {
      // Restarting would fail the same way: tell the waiting jobs why, and let a new job retry.
      const error = new EngineError(
        'WORKER_CRASHED',
        `The worker process exits as it starts (${describeExit(exit)}), ${startFailures} times in a row, so nothing can run. ` +
          'Reinstall the app (or run `npm ci` and `npm run build:native`) and try again.',
        { details: { exitCode: exit.code, signal: exit.signal, stderrTail: exit.stderrTail } },
      );
      for (const waiting of queue.all()) {
        queue.remove(waiting);
        settle(waiting, { error });
      }
      announcePositions();
      return;
    }
    if (!closed) spawn();
    dispatch();
  };

  const spawn = () => {
    const id = nextWorkerId++;
    const slot: Slot = {
      id,
      process: spawnWorker(id),
      ready: false,
      task: null,
      models: new Set(),
    };
    slots.set(id, slot);
    slot.process.onMessage((message) => onMessage(slot, message));
    slot.process.onExit((exit) => onExit(slot, exit));
    slot.process.send({ type: 'configure', memoryBudgetBytes, idleUnloadMs });
  };

  const dispatch = () => {
    if (closed) return;
    for (;;) {
      const idle = [...slots.values()].filter((s) => s.ready && s.task === null);
      const task = queue.peek();
      if (idle.length === 0 || !task) break;
      const slot = idle.find((s) => s.models.has(task.key)) ?? idle[0]!;
      queue.remove(task);
      task.attempts += 1;
      task.queuedAt = task.attempts === 1 ? task.queuedAt : Date.now();
      slot.task = task;
      void send(slot, task);
    }
    announcePositions();
  };

  /**
   * Sends a task's request to its worker: small samples inline, large ones first in pieces with
   * the event loop free between them. A cancel that comes meanwhile is sent after the request
   * (the worker ignores a cancel for a request it has not seen).
   */
  const send = async (slot: Slot, task: Task) => {
    const { job, seq } = task;
    const pcm = job.pcm;
    const inPieces = pcm !== undefined && pcm.length > PCM_PIECE_SAMPLES;
    if (inPieces) {
      slot.uploading = task;
      for (let at = 0; at < pcm.length; at += PCM_PIECE_SAMPLES) {
        slot.process.send({
          type: 'pcm',
          seq,
          // A view, not a copy: sending serializes (copies) only the view's bytes, at once.
          samples: pcm.subarray(at, at + PCM_PIECE_SAMPLES),
        });
        await nextTurn();
        // The worker died, or the pool closed, meanwhile: that path settles the task.
        if (slot.task !== task || !slots.has(slot.id) || closed) {
          slot.uploading = undefined;
          return;
        }
      }
      slot.uploading = undefined;
    }
    const samples = pcm === undefined || inPieces ? {} : { pcm };
    slot.process.send(
      isOpJob(job)
        ? { type: 'run', seq, op: job.op, input: job.input, ...samples }
        : { type: 'transcribe', seq, model: job.model, params: job.params, ...samples },
    );
    if (task.cancelled) slot.process.send({ type: 'cancel', seq });
  };

  const cancel = (task: Task) => {
    if (task.settled || task.cancelled) return;
    task.cancelled = true;
    if (queue.remove(task)) {
      settle(task, { error: abortReason(task.job.signal!, 'The transcription') });
      announcePositions();
      return;
    }
    const slot = [...slots.values()].find((s) => s.task === task);
    if (!slot) return;
    // While its samples are still being sent, `send` passes the cancel on after the request.
    if (slot.uploading !== task) slot.process.send({ type: 'cancel', seq: task.seq });
    // A worker stuck in native code that ignores the abort is killed; onExit settles the job.
    slot.killTimer = setTimeout(() => slot.process.kill(), cancelGraceMs);
  };

  for (let i = 0; i < workers; i += 1) spawn();

  return {
    submit(job) {
      if (closed) {
        return Promise.reject(
          new EngineError('SHUTTING_DOWN', 'The transcription pool is closed.'),
        );
      }
      if (job.signal?.aborted) return Promise.reject(abortReason(job.signal, 'The transcription'));
      return new Promise<PoolResult>((resolve, reject) => {
        const task: Task = {
          job,
          lane: job.lane,
          key: isOpJob(job) ? `op:${job.op}` : modelKey(job.model),
          seq: nextSeq++,
          attempts: 0,
          queuedAt: Date.now(),
          cancelled: false,
          settled: false,
          resolve,
          reject,
        };
        const onAbort = () => cancel(task);
        job.signal?.addEventListener('abort', onAbort, { once: true });
        const cleanup = () => job.signal?.removeEventListener('abort', onAbort);
        task.resolve = (result) => {
          cleanup();
          resolve(result);
        };
        task.reject = (error) => {
          cleanup();
          reject(error);
        };
        queue.push(task);
        // After workers failed to start, a new job gets fresh ones (the cause may be fixed).
        if (slots.size < workers) {
          startFailures = 0;
          while (slots.size < workers) spawn();
        }
        dispatch();
      });
    },
    stats() {
      const all = [...slots.values()];
      return {
        workers: all.map((s) => ({
          id: s.id,
          pid: s.process.pid,
          busy: s.task !== null,
          models: [...s.models],
        })),
        queued: queue.depths(),
        running: all.filter((s) => s.task !== null).length,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      const reason = new EngineError('SHUTTING_DOWN', 'The engine is shutting down.');
      for (const task of queue.all()) {
        queue.remove(task);
        settle(task, { error: reason });
      }
      const exits = [...slots.values()].map(
        (slot) =>
          new Promise<void>((resolve) => {
            slot.process.onExit(() => resolve());
            if (slot.task) settle(slot.task, { error: reason });
            slot.process.kill();
          }),
      );
      await Promise.all(exits);
    },
  };
}
