import { availableParallelism } from 'node:os';
import type { SystemInfo } from '../../contract/system';
import type { Catalog } from '../models/catalog';
import type { ModelManager } from '../models/model-manager';
import { planWorkers, type DeviceFacts, type WorkerPlan } from '../pool/device-plan';
import type { Lane } from '../pool/lane-queue';
import type { FromWorker } from '../pool/messages';
import type { DetectSpeechInput } from '../pool/native-runtime';
import {
  createWhisperPool,
  type PoolResult,
  type TranscribeJob,
  type WhisperPool,
} from '../pool/pool';
import type { SpawnWorker, WorkerProcess } from '../pool/worker-process';
import type { SettingsService } from '../settings/settings-service';
import type {
  NativeSystemInfo,
  SpeechDetection,
  TranscribeResult,
  WhisperSegment,
} from '../whisper/addon';
import type { DetectSpeechOptions } from '../whisper/params';
import { readyWhisperModel } from './whisper-model';

export interface WhisperRequest extends Pick<
  TranscribeJob,
  'pcm' | 'signal' | 'onStage' | 'onProgress' | 'onQueuePosition'
> {
  /** Each segment as Whisper finishes it (times relative to `pcm`). */
  onSegment?: (segment: WhisperSegment) => void;
  /** A ready model from the model manager (catalog or imported). */
  modelId: string;
  /** @default 'batch' */
  lane?: Lane;
  /** Whisper parameters; `threads` defaults to the worker plan's. */
  params?: Record<string, unknown>;
}

/** A transcription's result, with where and how it ran. */
export interface WhisperResult extends Omit<PoolResult, 'result'> {
  result: TranscribeResult;
}

export interface WhisperService {
  /** Runs one transcription in the worker pool, starting the pool on first use. */
  transcribe(request: WhisperRequest): Promise<WhisperResult>;
  /**
   * Silero VAD over `pcm` (16 kHz mono) in a worker, on `lane` (@default 'batch'). Rejects like
   * the addon's `detectSpeech` (MODEL_LOAD_FAILED, INVALID_ARGUMENT, CANCELLED), or
   * WORKER_CRASHED.
   */
  detectSpeech(
    pcm: Float32Array,
    options: DetectSpeechOptions,
    context?: { signal?: AbortSignal; lane?: Lane },
  ): Promise<SpeechDetection>;
  /** The addon's view of this machine (asked of a worker once) and the pool's state now. */
  system(): Promise<SystemInfo['whisper']>;
  /**
   * The pool's state now. The addon and devices are those of `system()`'s probe, or "not checked
   * yet" until one has run (any transcription or detection runs it first).
   */
  status(): SystemInfo['whisper'];
  close(): Promise<void>;
}

export interface WhisperServiceDeps {
  models: ModelManager;
  catalog: Catalog;
  settings: SettingsService;
  spawnWorker: SpawnWorker;
}

/** Overhead of a loaded model beyond its weights (compute buffers, KV cache), roughly. */
const contextOverheadBytes = 200 * 1024 ** 2;

interface DeviceProbe {
  facts: DeviceFacts;
  addon: SystemInfo['whisper']['addon'];
  devices: SystemInfo['whisper']['devices'];
}

/** How long the probe worker may take to start and answer. */
const PROBE_TIMEOUT_MS = 60_000;

const noAddon = (problem: string): DeviceProbe => ({
  facts: { cores: availableParallelism(), gpus: [] },
  addon: { available: false, features: null, problem },
  devices: [],
});

function devicesOf(info: NativeSystemInfo): DeviceProbe {
  const cores = availableParallelism();
  const gpus = info.devices
    .filter((d) => d.type === 'gpu' || d.type === 'igpu')
    .map((d, index) => ({ index, name: d.description || d.name, freeBytes: d.memoryFree }));
  return {
    facts: { cores, gpus },
    addon: { available: true, features: info.features, problem: null },
    devices: info.devices.map((d) => ({
      name: d.description || d.name,
      type: d.type,
      backend: d.backend,
      memoryFreeMb: Math.round(d.memoryFree / 1024 ** 2),
      memoryTotalMb: Math.round(d.memoryTotal / 1024 ** 2),
    })),
  };
}

/**
 * Asks a short-lived whisper worker what the addon sees (CPU features, backends, devices with
 * free memory): the engine's process never loads the addon, and the pool is sized from this.
 * Never rejects: an addon that does not load, or a worker that dies, is reported as the problem.
 */
function probeDevices(spawnWorker: SpawnWorker, track: (worker: WorkerProcess | null) => void) {
  return new Promise<DeviceProbe>((resolve) => {
    const worker = spawnWorker(0);
    track(worker);
    let done = false;
    const finish = (probe: DeviceProbe) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      track(null);
      worker.kill();
      resolve(probe);
    };
    const timer = setTimeout(
      () =>
        finish(noAddon(`The whisper worker did not answer within ${PROBE_TIMEOUT_MS / 1000} s.`)),
      PROBE_TIMEOUT_MS,
    );
    worker.onMessage((message: FromWorker) => {
      if (message.type === 'ready') {
        worker.send({ type: 'run', seq: 1, op: 'system-info', input: null });
      } else if (message.type === 'result' && message.seq === 1) {
        finish(devicesOf(message.result as NativeSystemInfo));
      } else if (message.type === 'error' && message.seq === 1) {
        finish(noAddon(message.error.message));
      }
    });
    worker.onExit((exit) =>
      finish(
        noAddon(
          `The whisper worker process ended as it started (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`})` +
            `${exit.stderrTail ? `: ${exit.stderrTail.split('\n').at(-1)}` : ''}. ` +
            'Reinstall the app (or run `npm ci` and `npm run build:native`).',
        ),
      ),
    );
  });
}

/**
 * The engine's door to Whisper: resolves model ids to files, sizes the worker pool from the
 * hardware and settings, and runs every transcription in that pool. A settings change that
 * alters the plan takes effect once the pool is idle.
 */
export function createWhisperService({
  models,
  catalog,
  settings,
  spawnWorker,
}: WhisperServiceDeps): WhisperService {
  let probing: Promise<DeviceProbe> | undefined;
  let devices: DeviceProbe | undefined;
  let probeWorker: WorkerProcess | null = null;
  let pool: { instance: WhisperPool; plan: WorkerPlan } | undefined;

  const probe = () =>
    (probing ??= probeDevices(spawnWorker, (worker) => (probeWorker = worker)).then(
      (found) => (devices = found),
    ));

  const notChecked = noAddon(
    'Not checked yet: the first transcription or system check asks a worker.',
  );
  const currentPlan = (): WorkerPlan => {
    const { workers, threadsPerWorker, useGpu } = settings.get();
    return planWorkers((devices ?? notChecked).facts, { workers, threadsPerWorker, useGpu });
  };

  const samePlan = (a: WorkerPlan, b: WorkerPlan) =>
    a.workers === b.workers && a.threadsPerWorker === b.threadsPerWorker && a.useGpu === b.useGpu;

  const ensurePool = async () => {
    await probe();
    const plan = currentPlan();
    if (pool && !samePlan(pool.plan, plan)) {
      const stats = pool.instance.stats();
      const idle = stats.running === 0 && Object.values(stats.queued).every((n) => n === 0);
      if (idle) {
        await pool.instance.close();
        pool = undefined;
      }
    }
    pool ??= { instance: createWhisperPool({ spawnWorker, workers: plan.workers }), plan };
    return pool;
  };

  const memoryBytes = (modelId: string, fileBytes: number) => {
    const entry = catalog.models.find((m) => m.id === modelId);
    return entry?.memoryMb ? entry.memoryMb * 1024 ** 2 : fileBytes + contextOverheadBytes;
  };

  const status = (): SystemInfo['whisper'] => {
    const plan = currentPlan();
    const stats = pool?.instance.stats();
    const known = devices ?? notChecked;
    return {
      addon: known.addon,
      devices: known.devices,
      plan: {
        workers: plan.workers,
        threadsPerWorker: plan.threadsPerWorker,
        useGpu: plan.useGpu,
        reason: plan.reason,
      },
      workers: stats?.workers.map((w) => ({ id: w.id, pid: w.pid ?? null, busy: w.busy })) ?? [],
      queued: stats?.queued ?? { live: 0, interactive: 0, batch: 0 },
      running: stats?.running ?? 0,
    };
  };

  return {
    async transcribe({ modelId, lane = 'batch', params = {}, onSegment, ...job }) {
      const model = readyWhisperModel(models, modelId);
      const path = models.resolvePath(modelId);
      const { instance, plan } = await ensurePool();
      // The workers run the addon (pool/native-runtime.ts): what comes back are its segments
      // and its result, as the worker sent them. This is where they get their types again.
      const done = await instance.submit({
        ...job,
        ...(onSegment
          ? { onSegment: (segment: unknown) => onSegment(segment as WhisperSegment) }
          : {}),
        lane,
        model: { path, useGpu: plan.useGpu, memoryBytes: memoryBytes(modelId, model.sizeBytes) },
        params: { threads: plan.threadsPerWorker, ...params },
      });
      return { ...done, result: done.result as TranscribeResult };
    },
    async detectSpeech(pcm, options, { signal, lane = 'batch' } = {}) {
      const { instance } = await ensurePool();
      const input: DetectSpeechInput = { options };
      const { result } = await instance.submit({
        lane,
        op: 'detect-speech',
        input,
        pcm,
        ...(signal ? { signal } : {}),
      });
      return result as SpeechDetection;
    },
    async system() {
      await probe();
      return status();
    },
    status,
    async close() {
      probeWorker?.kill();
      await pool?.instance.close();
      pool = undefined;
    },
  };
}
