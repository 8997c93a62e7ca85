/**
 * The typed protocol between the pool (main process) and a whisper worker process. Every request
 * carries a `seq`; every answer names the `seq` it belongs to. Payloads cross the process boundary
 * by structured clone, so they hold only plain data and typed arrays.
 */

/** Which model a job needs and how to load it. Two specs with the same key share a context. */
export interface ModelSpec {
  path: string;
  /** A second file loaded with `path` as one model (diarization: the speaker-embedding model). */
  companionPath?: string;
  /** @default true */
  useGpu?: boolean;
  /** @default 0 */
  gpuDevice?: number;
  /** Flash attention; the runtime picks its default when unset. */
  flashAttn?: boolean;
  /** DTW token timestamps: true picks the preset from the model's shape; a name forces one. */
  dtw?: boolean | string;
  /** Approximate memory the loaded model needs, for the worker's cache budget. */
  memoryBytes: number;
}

export const modelKey = (spec: ModelSpec): string =>
  JSON.stringify([
    spec.path,
    spec.useGpu ?? true,
    spec.gpuDevice ?? 0,
    spec.flashAttn ?? null,
    spec.dtw ?? false,
    ...(spec.companionPath === undefined ? [] : [spec.companionPath]),
  ]);

/** What actually ran, recorded on the job (the model is never swapped; the device may fall back). */
export interface RanOn {
  workerId: number;
  device: 'gpu' | 'cpu';
  /** Why the GPU was not used although asked for. */
  gpuFallback: string | null;
  /** Whether this job had to load the model first. */
  loadedModel: boolean;
}

export interface SerializedError {
  name: string;
  code: string;
  message: string;
  /** An EngineError's details (plain data). */
  details?: Record<string, unknown>;
}

export type ToWorker =
  | {
      type: 'transcribe';
      seq: number;
      model: ModelSpec;
      /** Absent when the samples came first as `pcm` pieces (large audio). */
      pcm?: Float32Array;
      params: Record<string, unknown>;
    }
  /**
   * The next piece of a request's samples, sent before the request itself (same `seq`): a large
   * buffer goes in pieces, with the pool's event loop free between them, because serializing
   * tens of MB in one message holds the sending thread for tens of ms.
   */
  | { type: 'pcm'; seq: number; samples: Float32Array }
  /**
   * Any other work of the worker's (speech detection, system info, a diarization pass): `op`
   * names one of the worker's operations (worker-main.ts `WorkerOps`); answered like a
   * transcription, with `progress` and then `result` or `error`.
   */
  | { type: 'run'; seq: number; op: string; input: unknown; pcm?: Float32Array }
  | { type: 'cancel'; seq: number }
  | { type: 'configure'; memoryBudgetBytes: number; idleUnloadMs: number };

export type FromWorker =
  | { type: 'ready'; pid: number }
  | { type: 'stage'; seq: number; stage: 'loading-model' | 'transcribing' }
  | { type: 'progress'; seq: number; progress: number }
  | { type: 'segment'; seq: number; segment: unknown }
  | { type: 'result'; seq: number; result: unknown; ranOn: Omit<RanOn, 'workerId'> }
  | { type: 'error'; seq: number; error: SerializedError };
