import { describe, expect, it } from 'vitest';
import { planWorkers } from './device-plan';

const gpu = (index: number) => ({ index, name: `GPU ${index}`, freeBytes: 8e9 });

describe('planWorkers', () => {
  it.each([
    [1, 1, 1],
    [2, 1, 2],
    [8, 1, 8],
    [16, 2, 8],
    [24, 3, 8],
    [12, 1, 8],
  ])('%d CPU cores → %d workers × %d threads', (cores, workers, threads) => {
    expect(planWorkers({ cores, gpus: [] })).toMatchObject({
      workers,
      threadsPerWorker: threads,
      useGpu: false,
    });
  });

  it('runs one worker per GPU with a few CPU threads each', () => {
    const plan = planWorkers({ cores: 16, gpus: [gpu(0), gpu(1)] });
    expect(plan).toMatchObject({ workers: 2, threadsPerWorker: 4, useGpu: true });
    expect(plan.reason).toBe('2 workers × 4 threads on 2 GPUs (automatic)');
  });

  it('uses the CPU plan when the GPU is turned off in settings', () => {
    expect(planWorkers({ cores: 16, gpus: [gpu(0)] }, { useGpu: false })).toMatchObject({
      workers: 2,
      threadsPerWorker: 8,
      useGpu: false,
    });
  });

  it('takes worker and thread counts from settings', () => {
    const plan = planWorkers({ cores: 2, gpus: [] }, { workers: 2, threadsPerWorker: 1 });
    expect(plan).toMatchObject({ workers: 2, threadsPerWorker: 1 });
    expect(plan.reason).toBe('2 workers × 1 threads on 2 CPU cores (from settings)');
  });
});
