import { EngineError, isEngineError } from '../errors';
import type { SerializedError, ToWorker } from './messages';
import { modelKey } from './messages';
import { createModelCache } from './model-cache';
import type { WhisperRuntime } from './runtime';
import type { WorkerPort } from './worker-port';

/**
 * Work a worker does besides transcribing, by name: each runs in the worker process with the
 * request's abort signal and a progress callback (0 … 1, or the op's own unit).
 */
export type WorkerOp = (
  input: unknown,
  context: {
    signal: AbortSignal;
    onProgress: (progress: number) => void;
    /** The request's samples, when it has some (`OpJob.pcm`). */
    pcm: Float32Array | undefined;
  },
) => Promise<unknown>;
export type WorkerOps = Readonly<Record<string, WorkerOp>>;

export interface WorkerOptions {
  /** The operations this worker answers `run` requests with. */
  ops?: WorkerOps;
  /** @default 4 GiB until the pool sends its budget */
  memoryBudgetBytes?: number;
  /** @default 300000 */
  idleUnloadMs?: number;
}

const serialize = (error: unknown): SerializedError => ({
  name: error instanceof Error ? error.name : 'Error',
  code: isEngineError(error) ? error.code : 'TRANSCRIBE_FAILED',
  message: error instanceof Error ? error.message : String(error),
  ...(isEngineError(error) && error.details ? { details: error.details } : {}),
});

/**
 * The body of a worker process: answers `transcribe` requests with the runtime, keeping loaded
 * models in a cache, `run` requests with its `ops`, and aborts a request on `cancel`. Jobs may overlap; each gets its own
 * abort controller. Single-threaded: everything here runs on the worker's main thread.
 */
export function runWorker<Context>(
  runtime: WhisperRuntime<Context>,
  port: WorkerPort,
  options: WorkerOptions = {},
): void {
  const cache = createModelCache(runtime, {
    memoryBudgetBytes: options.memoryBudgetBytes ?? 4 * 1024 ** 3,
    idleUnloadMs: options.idleUnloadMs ?? 300_000,
  });
  const running = new Map<number, AbortController>();
  const ops = options.ops ?? {};
  /** Samples that arrived in pieces, by request, until the request itself arrives. */
  const pieces = new Map<number, Float32Array[]>();
  const samplesOf = (seq: number, inline: Float32Array | undefined): Float32Array | undefined => {
    const parts = pieces.get(seq);
    if (!parts) return inline;
    pieces.delete(seq);
    const all = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      all.set(part, at);
      at += part.length;
    }
    return all;
  };

  const failure = (controller: AbortController, error: unknown, what: string): SerializedError =>
    controller.signal.aborted
      ? { name: 'AbortError', code: 'CANCELLED', message: `The ${what} was cancelled.` }
      : serialize(error);

  const run = async (message: Extract<ToWorker, { type: 'run' }>) => {
    const { seq } = message;
    const controller = new AbortController();
    running.set(seq, controller);
    try {
      const op = Object.hasOwn(ops, message.op) ? ops[message.op] : undefined;
      if (!op) {
        throw new EngineError(
          'INVALID_ARGUMENT',
          `This worker has no operation "${message.op}" (it has ${Object.keys(ops).join(', ') || 'none'}).`,
        );
      }
      const result = await op(message.input, {
        signal: controller.signal,
        onProgress: (progress) => port.send({ type: 'progress', seq, progress }),
        pcm: samplesOf(seq, message.pcm),
      });
      port.send({
        type: 'result',
        seq,
        result,
        ranOn: { device: 'cpu', gpuFallback: null, loadedModel: false },
      });
    } catch (error) {
      port.send({ type: 'error', seq, error: failure(controller, error, message.op) });
    } finally {
      running.delete(seq);
    }
  };

  const transcribe = async (message: Extract<ToWorker, { type: 'transcribe' }>) => {
    const { seq } = message;
    const pcm = samplesOf(seq, message.pcm) ?? new Float32Array(0);
    const controller = new AbortController();
    running.set(seq, controller);
    const isLoaded = cache.loadedKeys().includes(modelKey(message.model));
    if (!isLoaded) port.send({ type: 'stage', seq, stage: 'loading-model' });
    let lease;
    try {
      lease = await cache.acquire(message.model);
      controller.signal.throwIfAborted();
      port.send({ type: 'stage', seq, stage: 'transcribing' });
      const result = await runtime.transcribe(lease.model.context, pcm, message.params, {
        signal: controller.signal,
        onProgress: (progress) => port.send({ type: 'progress', seq, progress }),
        onSegment: (segment) => port.send({ type: 'segment', seq, segment }),
      });
      port.send({
        type: 'result',
        seq,
        result,
        ranOn: {
          device: lease.model.device,
          gpuFallback: lease.model.gpuFallback,
          loadedModel: lease.loaded,
        },
      });
    } catch (error) {
      port.send({ type: 'error', seq, error: failure(controller, error, 'transcription') });
    } finally {
      lease?.release();
      running.delete(seq);
    }
  };

  port.onMessage((message) => {
    switch (message.type) {
      case 'transcribe':
        void transcribe(message);
        break;
      case 'run':
        void run(message);
        break;
      case 'pcm': {
        const parts = pieces.get(message.seq) ?? [];
        parts.push(message.samples);
        pieces.set(message.seq, parts);
        break;
      }
      case 'cancel':
        running.get(message.seq)?.abort();
        break;
      case 'configure':
        cache.configure(message);
        break;
    }
  });
  port.send({ type: 'ready', pid: process.pid });
}
