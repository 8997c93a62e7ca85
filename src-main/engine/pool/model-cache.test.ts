import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from './messages';
import { createModelCache } from './model-cache';
import type { WhisperRuntime } from './runtime';

/** A runtime that records loads and frees; a path containing "no-gpu" fails to load on the GPU. */
function countingRuntime() {
  const loads: string[] = [];
  const freed: string[] = [];
  const runtime: WhisperRuntime<{ path: string; gpu: boolean }> = {
    async loadModel({ path, useGpu }) {
      await sleep(5);
      if (path.includes('broken')) throw new Error(`cannot load ${path}`);
      if (useGpu && path.includes('no-gpu')) throw new Error('out of GPU memory');
      loads.push(`${path}:${useGpu ? 'gpu' : 'cpu'}`);
      return { path, gpu: useGpu };
    },
    transcribe: async () => ({}),
    freeModel: (context) => void freed.push(context.path),
    deviceOf: (context) => (context.gpu ? 'gpu' : 'cpu'),
  };
  return { runtime, loads, freed };
}

const spec = (path: string, memoryBytes = 100, useGpu = false): ModelSpec => ({
  path,
  memoryBytes,
  useGpu,
});

describe('model cache', () => {
  it('loads a model once for concurrent jobs and shares it', async () => {
    const { runtime, loads } = countingRuntime();
    const cache = createModelCache(runtime, { memoryBudgetBytes: 1000 });
    const [a, b] = await Promise.all([cache.acquire(spec('/a')), cache.acquire(spec('/a'))]);
    expect(loads).toEqual(['/a:cpu']);
    expect(a.model).toBe(b.model);
    expect([a.loaded, b.loaded].filter(Boolean)).toHaveLength(1);
    cache.dispose();
  });

  it('evicts the least recently used idle model to stay within the budget', async () => {
    const { runtime, freed } = countingRuntime();
    const cache = createModelCache(runtime, { memoryBudgetBytes: 250 });
    (await cache.acquire(spec('/a'))).release();
    await sleep(2);
    (await cache.acquire(spec('/b'))).release();
    await sleep(2);
    (await cache.acquire(spec('/a'))).release(); // /a is now more recent than /b
    (await cache.acquire(spec('/c'))).release();
    await sleep(10);
    expect(freed).toEqual(['/b']);
    expect(cache.loadedKeys()).toHaveLength(2);
    cache.dispose();
  });

  it('never evicts a model that a job is using', async () => {
    const { runtime, freed } = countingRuntime();
    const cache = createModelCache(runtime, { memoryBudgetBytes: 150 });
    const busy = await cache.acquire(spec('/a'));
    const other = await cache.acquire(spec('/b'));
    await sleep(10);
    expect(freed).toEqual([]);
    busy.release();
    other.release();
    (await cache.acquire(spec('/c'))).release();
    await sleep(10);
    expect(freed).toHaveLength(2);
    cache.dispose();
  });

  it('unloads models that stay idle', async () => {
    const { runtime, freed } = countingRuntime();
    const cache = createModelCache(runtime, { memoryBudgetBytes: 1000, idleUnloadMs: 50 });
    (await cache.acquire(spec('/a'))).release();
    const held = await cache.acquire(spec('/b'));
    await sleep(150);
    expect(freed).toEqual(['/a']);
    held.release();
    await sleep(150);
    expect(freed).toEqual(['/a', '/b']);
    cache.dispose();
  });

  it('falls back to the CPU with the same model when the GPU load fails, saying why', async () => {
    const { runtime, loads } = countingRuntime();
    const cache = createModelCache(runtime, { memoryBudgetBytes: 1000 });
    const lease = await cache.acquire(spec('/no-gpu', 100, true));
    expect(loads).toEqual(['/no-gpu:cpu']);
    expect(lease.model).toMatchObject({
      device: 'cpu',
      gpuFallback: 'GPU load failed: out of GPU memory',
    });
    cache.dispose();
  });

  it('does not keep a failed load, so the next job tries again', async () => {
    const { runtime } = countingRuntime();
    const cache = createModelCache(runtime, { memoryBudgetBytes: 1000 });
    await expect(cache.acquire(spec('/broken'))).rejects.toThrow('cannot load /broken');
    await sleep(5);
    expect(cache.loadedKeys()).toEqual([]);
    await expect(cache.acquire(spec('/broken'))).rejects.toThrow('cannot load /broken');
    cache.dispose();
  });
});
