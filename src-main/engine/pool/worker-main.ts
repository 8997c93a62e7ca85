import { isEngineError } from '../errors';
import type { SerializedError, ToWorker } from './messages';
import { modelKey } from './messages';
import { createModelCache } from './model-cache';
import type { WhisperRuntime } from './runtime';
import type { WorkerPort } from './worker-port';

export interface WorkerOptions {
  /** @default 4 GiB until the pool sends its budget */
  memoryBudgetBytes?: number;
  /** @default 300000 */
  idleUnloadMs?: number;
}

const serialize = (error: unknown): SerializedError => ({
  name: error instanceof Error ? error.name : 'Error',
  code: isEngineError(error) ? error.code : 'TRANSCRIBE_FAILED',
  message: error instanceof Error ? error.message : String(error),
});

/**
 * The body of a whisper worker process: answers `transcribe` requests with the runtime, keeping
 * loaded models in a cache, and aborts a request on `cancel`. Jobs may overlap; each gets its own
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

  const transcribe = async (message: Extract<ToWorker, { type: 'transcribe' }>) => {
    const { seq } = message;
    const controller = new AbortController();
    running.set(seq, controller);
    const isLoaded = cache.loadedKeys().includes(modelKey(message.model));
    if (!isLoaded) port.send({ type: 'stage', seq, stage: 'loading-model' });
    let lease;
    try {
      lease = await cache.acquire(message.model);
      controller.signal.throwIfAborted();
      port.send({ type: 'stage', seq, stage: 'transcribing' });
      const result = await runtime.transcribe(lease.model.context, message.pcm, message.params, {
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
      const aborted = controller.signal.aborted;
      port.send({
        type: 'error',
        seq,
        error: aborted
          ? { name: 'AbortError', code: 'CANCELLED', message: 'The transcription was cancelled.' }
          : serialize(error),
      });
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
