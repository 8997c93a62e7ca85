import { readdirSync } from 'node:fs';
import { constants, getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readWav16kMono,
  repeatTo,
  speech,
  testModels,
} from '../whisper/__fixtures__/whisper-fixtures';
import { engineRejection } from '../test-support/engine-rejection';
import { createWhisperPool, type PoolJob, type WhisperPool } from './pool';
import { forkNodeWorkers, type SpawnWorker } from './worker-process';

// The real native worker (worker-entry.ts) in child processes, on whisper.cpp's weightless tiny.en.
let pool: WhisperPool;
const workerPids: number[] = [];
beforeAll(() => {
  const fork = forkNodeWorkers();
  const spawnWorker: SpawnWorker = (id) => {
    const worker = fork(id);
    if (worker.pid !== undefined) workerPids.push(worker.pid);
    return worker;
  };
  pool = createWhisperPool({ spawnWorker, workers: 1, cancelGraceMs: 2000 });
});
afterAll(() => pool.close());

const jfk = readWav16kMono(speech.jfk);
const job = (more: Partial<PoolJob> = {}): PoolJob => ({
  lane: 'interactive',
  model: { path: testModels.tinyEn, memoryBytes: 100 * 1024 ** 2, useGpu: false },
  pcm: jfk,
  params: { threads: 2, language: 'en' },
  ...more,
});

describe('pool with native whisper workers', () => {
  it('transcribes through a worker process, loading the model once', async () => {
    const progress: number[] = [];
    const first = await pool.submit(job({ onProgress: (p) => progress.push(p) }));
    expect(first.result).toMatchObject({ segments: expect.any(Array), language: 'en' });
    expect(first.ranOn).toMatchObject({ device: 'cpu', gpuFallback: null, loadedModel: true });
    expect(progress.at(-1)).toBe(100);
    const second = await pool.submit(job());
    expect(second.ranOn.loadedModel).toBe(false);
  }, 60_000);

  it('cancels a long transcription within 2 s and keeps serving', async () => {
    const controller = new AbortController();
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const running = pool.submit(
      job({
        pcm: repeatTo(jfk, 90),
        signal: controller.signal,
        onStage: (stage) => stage === 'transcribing' && markStarted(),
      }),
    );
    await started;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const abortedAt = Date.now();
    controller.abort();
    await engineRejection(running, 'CANCELLED');
    expect(Date.now() - abortedAt).toBeLessThan(2000);
    await expect(pool.submit(job())).resolves.toMatchObject({ attempts: 1 });
  }, 60_000);

  it.runIf(process.platform === 'linux')(
    "runs every worker thread, whisper.cpp's included, below normal priority",
    async () => {
      let markStarted!: () => void;
      const started = new Promise<void>((resolve) => (markStarted = resolve));
      const running = pool.submit(
        job({
          pcm: repeatTo(jfk, 30),
          onStage: (stage) => stage === 'transcribing' && markStarted(),
        }),
      );
      await started;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const pid = workerPids.at(-1)!;
      const tasks = readdirSync(`/proc/${pid}/task`).map(Number);
      const priorities = tasks.map((task) => getPriority(task));
      await running;
      expect(tasks.length).toBeGreaterThan(1);
      expect(new Set(priorities)).toEqual(new Set([constants.priority.PRIORITY_BELOW_NORMAL]));
      expect(getPriority(process.pid)).toBe(0); // the engine itself stays at normal priority
    },
    60_000,
  );

  it('reports a bad model file clearly and keeps serving', async () => {
    const error = await engineRejection(
      pool.submit(
        job({ model: { path: '/nonexistent/ggml-base.bin', memoryBytes: 1, useGpu: false } }),
      ),
      'MODEL_LOAD_FAILED',
    );
    expect(error.message).toMatch(/\/nonexistent\/ggml-base\.bin/);
    await expect(pool.submit(job())).resolves.toMatchObject({ attempts: 1 });
  }, 60_000);
});
