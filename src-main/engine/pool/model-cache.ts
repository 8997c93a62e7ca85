import { modelKey, type ModelSpec, type RanOn } from './messages';
import type { WhisperRuntime } from './runtime';

export interface CachedModel<Context> {
  key: string;
  context: Context;
  bytes: number;
  device: RanOn['device'];
  gpuFallback: string | null;
}

export interface ModelCacheOptions {
  /** Loaded models are evicted, least recently used first, to stay within this. */
  memoryBudgetBytes: number;
  /** A model unused for this long is unloaded. @default 300000 (5 minutes) */
  idleUnloadMs?: number;
}

export interface Lease<Context> {
  model: CachedModel<Context>;
  /** True when this lease had to load the model. */
  loaded: boolean;
  release(): void;
}

interface Entry<Context> {
  model: Promise<CachedModel<Context>>;
  bytes: number;
  users: number;
  lastUsed: number;
}

/**
 * A worker's loaded models: one context per model key, shared by concurrent jobs, kept within a
 * memory budget (LRU) and unloaded when idle. Runs on the worker's main thread only.
 */
export function createModelCache<Context>(
  runtime: WhisperRuntime<Context>,
  options: ModelCacheOptions,
) {
  let { memoryBudgetBytes, idleUnloadMs = 300_000 } = options;
  const entries = new Map<string, Entry<Context>>();
  let idleTimer: NodeJS.Timeout | undefined;

  const free = (key: string, entry: Entry<Context>) => {
    entries.delete(key);
    void entry.model.then((m) => runtime.freeModel(m.context)).catch(() => undefined);
  };

  const evictFor = (bytes: number) => {
    const used = () => [...entries.values()].reduce((sum, e) => sum + e.bytes, 0);
    const idle = [...entries.entries()]
      .filter(([, e]) => e.users === 0)
      .sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    for (const [key, entry] of idle) {
      if (used() + bytes <= memoryBudgetBytes) break;
      free(key, entry);
    }
  };

  const scheduleIdleSweep = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      const now = Date.now();
      for (const [key, entry] of entries) {
        if (entry.users === 0 && now - entry.lastUsed >= idleUnloadMs) free(key, entry);
      }
      if ([...entries.values()].some((e) => e.users === 0)) scheduleIdleSweep();
    }, idleUnloadMs);
    idleTimer.unref();
  };

  const load = async (spec: ModelSpec): Promise<CachedModel<Context>> => {
    const base = {
      path: spec.path,
      ...(spec.companionPath === undefined ? {} : { companionPath: spec.companionPath }),
      gpuDevice: spec.gpuDevice ?? 0,
      flashAttn: spec.flashAttn,
      dtw: spec.dtw,
    };
    const wantGpu = spec.useGpu ?? true;
    try {
      const context = await runtime.loadModel({ ...base, useGpu: wantGpu });
      const device = runtime.deviceOf(context);
      const gpuFallback =
        wantGpu && device === 'cpu' ? 'no GPU backend is available in this build or machine' : null;
      return { key: modelKey(spec), context, bytes: spec.memoryBytes, device, gpuFallback };
    } catch (error) {
      if (!wantGpu) throw error;
      // Same model on the CPU; the job records why.
      const context = await runtime.loadModel({ ...base, useGpu: false });
      return {
        key: modelKey(spec),
        context,
        bytes: spec.memoryBytes,
        device: 'cpu',
        gpuFallback: `GPU load failed: ${(error as Error).message}`,
      };
    }
  };

  return {
    async acquire(spec: ModelSpec): Promise<Lease<Context>> {
      const key = modelKey(spec);
      let entry = entries.get(key);
      const loaded = entry === undefined;
      if (!entry) {
        evictFor(spec.memoryBytes);
        entry = { model: load(spec), bytes: spec.memoryBytes, users: 0, lastUsed: Date.now() };
        entries.set(key, entry);
        const current = entry;
        entry.model.catch(() => {
          if (entries.get(key) === current) entries.delete(key);
        });
      }
      entry.users += 1;
      const held = entry;
      try {
        const model = await held.model;
        let released = false;
        return {
          model,
          loaded,
          release() {
            if (released) return;
            released = true;
            held.users -= 1;
            held.lastUsed = Date.now();
            scheduleIdleSweep();
          },
        };
      } catch (error) {
        held.users -= 1;
        throw error;
      }
    },
    configure(next: { memoryBudgetBytes: number; idleUnloadMs: number }) {
      ({ memoryBudgetBytes, idleUnloadMs } = next);
      evictFor(0);
      scheduleIdleSweep();
    },
    /** Keys of the models currently loaded (or loading). */
    loadedKeys: () => [...entries.keys()],
    dispose() {
      clearTimeout(idleTimer);
      for (const [key, entry] of [...entries]) free(key, entry);
    },
  };
}

export type ModelCache<Context> = ReturnType<typeof createModelCache<Context>>;
