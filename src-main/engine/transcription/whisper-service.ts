import { availableParallelism } from 'node:os';
import type { SystemInfo } from '../../contract/system';
import { isEngineError } from '../errors';
import type { Catalog } from '../models/catalog';
import type { ModelManager } from '../models/model-manager';
import { planWorkers, type DeviceFacts, type WorkerPlan } from '../pool/device-plan';
import type { Lane } from '../pool/lane-queue';
import { createWhisperPool, type PoolJob, type PoolResult, type WhisperPool } from '../pool/pool';
import type { SpawnWorker } from '../pool/worker-process';
import type { SettingsService } from '../settings/settings-service';
import { systemInfo } from '../whisper/addon';
import { readyWhisperModel } from './whisper-model';

export interface WhisperRequest extends Pick<
  PoolJob,
  'pcm' | 'signal' | 'onStage' | 'onProgress' | 'onSegment' | 'onQueuePosition'
> {
  /** A ready model from the model manager (catalog or imported). */
  modelId: string;
  /** @default 'batch' */
  lane?: Lane;
  /** Whisper parameters; `threads` defaults to the worker plan's. */
  params?: Record<string, unknown>;
}

export interface WhisperService {
  /** Runs one transcription in the worker pool, starting the pool on first use. */
  transcribe(request: WhisperRequest): Promise<PoolResult>;
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

function probeDevices(): {
  facts: DeviceFacts;
  addon: SystemInfo['whisper']['addon'];
  devices: SystemInfo['whisper']['devices'];
} {
  const cores = availableParallelism();
  try {
    const info = systemInfo();
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
  } catch (error) {
    if (!isEngineError(error, 'NATIVE_ADDON_MISSING')) throw error;
    return {
      facts: { cores, gpus: [] },
      addon: { available: false, features: null, problem: error.message },
      devices: [],
    };
  }
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
  let devices: ReturnType<typeof probeDevices> | undefined;
  let pool: { instance: WhisperPool; plan: WorkerPlan } | undefined;

  const currentPlan = (): WorkerPlan => {
    devices ??= probeDevices();
    const { workers, threadsPerWorker, useGpu } = settings.get();
    return planWorkers(devices.facts, { workers, threadsPerWorker, useGpu });
  };

  const samePlan = (a: WorkerPlan, b: WorkerPlan) =>
    a.workers === b.workers && a.threadsPerWorker === b.threadsPerWorker && a.useGpu === b.useGpu;

  const ensurePool = async () => {
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

  return {
    async transcribe({ modelId, lane = 'batch', params = {}, ...job }) {
      const model = readyWhisperModel(models, modelId);
      const path = models.resolvePath(modelId);
      const { instance, plan } = await ensurePool();
      return instance.submit({
        ...job,
        lane,
        model: { path, useGpu: plan.useGpu, memoryBytes: memoryBytes(modelId, model.sizeBytes) },
        params: { threads: plan.threadsPerWorker, ...params },
      });
    },
    status() {
      const plan = currentPlan();
      const stats = pool?.instance.stats();
      return {
        addon: devices!.addon,
        devices: devices!.devices,
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
    },
    async close() {
      await pool?.instance.close();
      pool = undefined;
    },
  };
}
