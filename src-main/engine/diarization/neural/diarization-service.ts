/**
 * The engine's door to speaker diarization: runs sherpa-onnx, the built-in fallback diarizer and
 * the per-channel speakers in their own small worker pool (one process, started on first use),
 * separate from the whisper pool, so a model that crashes sherpa-onnx costs one worker and one
 * job, a cancel can kill a run that cannot be stopped otherwise, and the fallback's CPU work
 * never holds the engine's event loop. Main-thread only.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { abortReason, EngineError, isEngineError } from '../../errors';
import { createWhisperPool, type WhisperPool } from '../../pool/pool';
import type { Fix } from '../../../common/remedies';
import type { SpawnWorker } from '../../pool/worker-process';
import type {
  ChannelSpeakersInput,
  ChannelSpeakersResult,
  FallbackSpeakersInput,
  FallbackSpeakersResult,
} from '../../speakers/speaker-ops';
import type { SherpaDiarization, SherpaDiarizeParams } from './sherpa-runtime';

/**
 * Cosine distance (1 − cos) under which sherpa-onnx joins clusters when the number of speakers
 * is not given: sherpa-onnx's own default, the value its pyannote + WeSpeaker / 3D-Speaker
 * examples use. Lower finds more speakers.
 */
export const DEFAULT_NEURAL_THRESHOLD = 0.5;

export interface DiarizeRequest {
  /** pyannote segmentation model (.onnx). */
  segmentationPath: string;
  /** WeSpeaker or 3D-Speaker embedding model (.onnx). */
  embeddingPath: string;
  /** The whole recording: 16 kHz mono samples. */
  pcm: Float32Array;
  /** Exactly this many speakers. */
  numClusters?: number;
  /** @default DEFAULT_NEURAL_THRESHOLD */
  threshold?: number;
  /** Kills the worker (after a short grace) and rejects with CANCELLED or the signal's reason. */
  signal?: AbortSignal;
  /** The fraction done, 0 … 1. */
  onProgress?: (fraction: number) => void;
}

export interface DiarizationService {
  /**
   * Diarizes `pcm` in the worker. Rejects with MODEL_LOAD_FAILED for a model sherpa-onnx cannot
   * use (checked before it loads), WORKER_CRASHED when the models crashed the worker, CANCELLED.
   */
  diarize(request: DiarizeRequest): Promise<SherpaDiarization>;
  /**
   * The built-in fallback diarizer over a file, in the worker (speakers/speaker-ops.ts). Rejects
   * with CANCELLED, DECODE_FAILED, MODEL_LOAD_FAILED (VAD), WORKER_CRASHED.
   */
  fallback(request: FallbackSpeakersInput & RunControl): Promise<FallbackSpeakersResult>;
  /** One speaker per channel, in the worker; rejects like `fallback`. */
  channels(request: ChannelSpeakersInput & RunControl): Promise<ChannelSpeakersResult>;
  /** Rejects waiting work and stops the worker. */
  close(): Promise<void>;
}

/** How the caller stops and follows a run in the worker. */
export interface RunControl {
  /** Stops the run (the worker is killed when it does not stop within the grace period). */
  signal?: AbortSignal;
  /** The fraction done, 0 … 1. */
  onProgress?: (fraction: number) => void;
}

export interface DiarizationServiceDeps {
  /** Starts a diarization worker (diarization-worker-entry.ts). */
  spawnWorker: SpawnWorker;
  /** A cancelled run whose worker is still busy after this long is killed. @default 1000 */
  cancelGraceMs?: number;
}

/** The worker entry beside this module, for Node child processes (`serve`, the CLI, tests). */
export const diarizationWorkerEntry = fileURLToPath(
  new URL('./diarization-worker-entry.ts', import.meta.url),
);

/** Loaded models need about their files' size again in working memory, plus buffers. */
const modelOverheadBytes = 100 * 1024 ** 2;

export function createDiarizationService({
  spawnWorker,
  cancelGraceMs = 1000,
}: DiarizationServiceDeps): DiarizationService {
  let pool: WhisperPool | undefined;
  let closed = false;

  const workerPool = () => {
    if (closed) throw new EngineError('SHUTTING_DOWN', 'The engine is shutting down.');
    pool ??= createWhisperPool({
      spawnWorker,
      workers: 1,
      cancelGraceMs,
      // A crash here almost always comes from the models, so running again would crash again.
      crashRetries: 0,
    });
    return pool;
  };

  const runOp = async <T>(
    op: string,
    what: string,
    { signal, onProgress, ...input }: RunControl & object,
  ): Promise<T> => {
    try {
      const { result } = await workerPool().submit({
        lane: 'batch',
        op,
        input,
        ...(signal ? { signal } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
      // The worker's op returns this operation's result type (speaker-ops.ts).
      return result as T;
    } catch (error) {
      if (isEngineError(error, 'CANCELLED') && signal?.aborted) throw abortReason(signal, what);
      if (isEngineError(error, 'WORKER_CRASHED')) {
        throw new EngineError(
          'WORKER_CRASHED',
          `The speaker-finding worker process crashed (${error.message}). Try again, or transcribe without speakers.`,
          { cause: error, details: error.details ?? {} },
        );
      }
      throw error;
    }
  };

  const crashed = (error: EngineError, request: DiarizeRequest) => {
    const { signal, exitCode } = error.details ?? {};
    const how = signal ? `signal ${String(signal)}` : `exit code ${String(exitCode)}`;
    return new EngineError(
      'WORKER_CRASHED',
      `The speaker-diarization models crashed their worker process (${how}). ` +
        `${basename(request.segmentationPath)} or ${basename(request.embeddingPath)} is damaged or not made for sherpa-onnx. ` +
        'Transcribe without automatic speakers, or replace them.',
      { cause: error, details: { ...error.details, fix: 'redownload-model' satisfies Fix } },
    );
  };

  return {
    async diarize(request) {
      const { segmentationPath, embeddingPath, signal, onProgress } = request;
      const sizes = await Promise.all(
        [segmentationPath, embeddingPath].map((path) =>
          stat(path).then(
            (info) => info.size,
            () => 0,
          ),
        ),
      );
      const pool = workerPool();
      const params: SherpaDiarizeParams = {
        threshold: request.threshold ?? DEFAULT_NEURAL_THRESHOLD,
        ...(request.numClusters === undefined ? {} : { numClusters: request.numClusters }),
      };
      try {
        const { result } = await pool.submit({
          lane: 'batch',
          model: {
            path: segmentationPath,
            companionPath: embeddingPath,
            useGpu: false,
            memoryBytes: 2 * (sizes[0]! + sizes[1]!) + modelOverheadBytes,
          },
          pcm: request.pcm,
          params: { ...params },
          ...(signal ? { signal } : {}),
          ...(onProgress ? { onProgress } : {}),
        });
        return result as SherpaDiarization;
      } catch (error) {
        if (isEngineError(error, 'WORKER_CRASHED')) throw crashed(error, request);
        if (isEngineError(error, 'CANCELLED') && signal?.aborted) {
          throw abortReason(signal, 'The speaker diarization');
        }
        throw error;
      }
    },
    fallback: (request) =>
      runOp<FallbackSpeakersResult>('fallback-speakers', 'Finding the speakers', request),
    channels: (request) =>
      runOp<ChannelSpeakersResult>(
        'channel-speakers',
        'Finding the speakers of each channel',
        request,
      ),
    async close() {
      closed = true;
      await pool?.close();
    },
  };
}
