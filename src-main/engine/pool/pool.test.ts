import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { engineRejection } from '../test-support/engine-rejection';
import type { Lane } from './lane-queue';
import { createWhisperPool, PCM_PIECE_SAMPLES, type PoolJob, type WhisperPool } from './pool';
import { forkNodeWorkers } from './worker-process';

const scriptedWorker = fileURLToPath(new URL('./__fixtures__/scripted-worker.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'studio-pool-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let pool: WhisperPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

const start = (workers = 1, extra: { cancelGraceMs?: number } = {}) => {
  pool = createWhisperPool({ spawnWorker: forkNodeWorkers(scriptedWorker), workers, ...extra });
  return pool;
};

const job = (params: Record<string, unknown> = {}, more: Partial<PoolJob> = {}): PoolJob => ({
  lane: 'batch',
  model: { path: '/models/a.bin', memoryBytes: 1000 },
  pcm: new Float32Array(16000),
  params,
  ...more,
});

/** A job plus a promise that resolves once its worker has started transcribing it. */
const startedJob = (params: Record<string, unknown>, more: Partial<PoolJob> = {}) => {
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  return {
    started,
    job: job(params, { ...more, onStage: (stage) => stage === 'transcribing' && markStarted() }),
  };
};

interface Scripted {
  model: string;
  samples: number;
  sum: number;
  loads: number;
  pid: number;
}

describe('whisper pool', () => {
  it('runs a job in a worker process and reports stages, progress, segments and where it ran', async () => {
    const stages: string[] = [];
    const progress: number[] = [];
    const segments: unknown[] = [];
    const done = await start().submit(
      job(
        { durationMs: 150 },
        {
          onStage: (s) => stages.push(s),
          onProgress: (p) => progress.push(p),
          onSegment: (s) => segments.push(s),
        },
      ),
    );
    expect(done.result).toMatchObject({ model: '/models/a.bin', samples: 16000, loads: 1 });
    expect((done.result as Scripted).pid).not.toBe(process.pid);
    // The GPU is asked for by default; this worker has none, so the job records the fallback.
    expect(done.ranOn).toEqual({
      workerId: 1,
      device: 'cpu',
      gpuFallback: 'no GPU backend is available in this build or machine',
      loadedModel: true,
    });
    expect(done.attempts).toBe(1);
    expect(stages).toEqual(['loading-model', 'transcribing']);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(segments).toEqual([{ text: 'segment' }]);
  });

  it('fails only the job whose callback throws, stops its work, and keeps serving the next job', async () => {
    const p = start();
    // A callback that throws (e.g. saving a segment of a transcript that was deleted meanwhile)
    // runs inside the pool's message handler: it must reject that job, never escape the process.
    const segmentFails = p.submit(
      job(
        {},
        {
          onSegment: () => {
            throw new Error('Transcript t1 does not exist');
          },
        },
      ),
    );
    await expect(segmentFails).rejects.toThrow('Transcript t1 does not exist');

    let calls = 0;
    const progressFails = p.submit(
      job(
        { durationMs: 3000 },
        {
          onProgress: () => {
            calls += 1;
            throw new Error('progress listener broke');
          },
        },
      ),
    );
    const began = Date.now();
    await expect(progressFails).rejects.toThrow('progress listener broke');
    // The worker was told to stop at once instead of running out its 3 s.
    expect(calls).toBe(1);
    const next = await p.submit(job({ durationMs: 50 }));
    expect(Date.now() - began).toBeLessThan(2500);
    expect(next.result).toMatchObject({ samples: 16000 });
  });

  it('keeps a loaded model for the next job that needs it', async () => {
    const p = start();
    const cpuModel = { path: '/models/a.bin', memoryBytes: 1000, useGpu: false };
    await p.submit(job({}, { model: cpuModel }));
    const second = await p.submit(job({}, { model: cpuModel }));
    expect(second.ranOn).toMatchObject({ loadedModel: false, gpuFallback: null });
    expect((second.result as Scripted).loads).toBe(1);
    expect(p.stats().workers[0]?.models).toHaveLength(1);
  });

  it('starts queued jobs live > interactive > batch, FIFO within a lane, reporting positions', async () => {
    const p = start();
    const finished: string[] = [];
    const positions: Record<string, number[]> = {};
    const submit = (name: string, lane: Lane, durationMs = 50) =>
      p
        .submit(
          job({ durationMs }, { lane, onQueuePosition: (n) => (positions[name] ??= []).push(n) }),
        )
        .then(() => finished.push(name));
    const first = startedJob({ durationMs: 400 });
    const blocker = p.submit(first.job).then(() => finished.push('blocker'));
    await first.started;
    const all = [
      submit('batch-1', 'batch'),
      submit('batch-2', 'batch'),
      submit('interactive-1', 'interactive'),
      submit('live-1', 'live'),
    ];
    expect(p.stats().queued).toEqual({ live: 1, interactive: 1, batch: 2 });
    await Promise.all([blocker, ...all]);
    expect(finished).toEqual(['blocker', 'live-1', 'interactive-1', 'batch-1', 'batch-2']);
    // batch-1 was 1st in line, then pushed back by the interactive and live jobs, then moved up.
    expect(positions['batch-1']).toEqual([1, 2, 3, 2, 1]);
    expect(positions['live-1']).toEqual([1]);
  });

  it('runs jobs side by side on two workers', async () => {
    const p = start(2);
    // Warm both workers up so that process start-up is not measured.
    await Promise.all([p.submit(job({ durationMs: 300 })), p.submit(job({ durationMs: 300 }))]);
    const began = Date.now();
    const [a, b] = await Promise.all([
      p.submit(job({ durationMs: 600 })),
      p.submit(job({ durationMs: 600 })),
    ]);
    expect(Date.now() - began).toBeLessThan(1100);
    expect(a.ranOn.workerId).not.toBe(b.ranOn.workerId);
  });

  it('cancels a queued job at once and leaves the others alone', async () => {
    const p = start();
    const running = p.submit(job({ durationMs: 300 }));
    const controller = new AbortController();
    const queued = p.submit(job({}, { signal: controller.signal }));
    controller.abort(new Error('not needed any more'));
    controller.abort();
    const error = await engineRejection(queued, 'CANCELLED');
    expect((error.cause as Error).message).toBe('not needed any more');
    await expect(running).resolves.toMatchObject({ attempts: 1 });
  });

  it('cancels a running job softly, keeping the worker', async () => {
    const p = start();
    const controller = new AbortController();
    const { job: long, started } = startedJob({ durationMs: 5000 }, { signal: controller.signal });
    const running = p.submit(long);
    await started;
    const pid = p.stats().workers[0]?.pid;
    const cancelledAt = Date.now();
    controller.abort();
    await engineRejection(running, 'CANCELLED');
    expect(Date.now() - cancelledAt).toBeLessThan(500);
    const next = await p.submit(job());
    expect((next.result as Scripted).pid).toBe(pid);
  });

  it('sends a 10-minute window in pieces, the event loop free between them, intact, and cancellable meanwhile', async () => {
    const p = start();
    await p.submit(job()); // the worker is up
    const pcm = new Float32Array(600 * 16_000);
    let sum = 0;
    for (let i = 0; i < pcm.length; i++) {
      pcm[i] = (i % 1000) / 1024;
      sum += pcm[i]!;
    }
    expect(pcm.length).toBeGreaterThan(30 * PCM_PIECE_SAMPLES);
    const before = performance.now();
    const pending = p.submit(job({}, { pcm }));
    // One 38 MB message held the loop 35–95 ms here; the first piece takes a millisecond or two.
    expect(performance.now() - before).toBeLessThan(30);
    const { result } = await pending;
    expect(result).toMatchObject({ samples: pcm.length, sum });

    // Cancelled while its pieces are still on their way: the worker hears the cancel after the
    // request, stops, and serves the next job.
    const controller = new AbortController();
    const cancelled = p.submit(job({ durationMs: 5000 }, { pcm, signal: controller.signal }));
    await new Promise((resolve) => setImmediate(resolve));
    const pid = p.stats().workers[0]?.pid;
    controller.abort();
    await engineRejection(cancelled, 'CANCELLED');
    const next = await p.submit(job());
    expect((next.result as Scripted).pid).toBe(pid);
  });

  it('kills a worker stuck in a cancelled job after the grace period and keeps serving', async () => {
    const p = start(1, { cancelGraceMs: 300 });
    const controller = new AbortController();
    const { job: spin, started } = startedJob(
      { durationMs: 20_000, ignoreAbort: true },
      { signal: controller.signal },
    );
    const stuck = p.submit(spin);
    await started;
    const pid = p.stats().workers[0]?.pid;
    const cancelledAt = Date.now();
    controller.abort();
    await engineRejection(stuck, 'CANCELLED');
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
    const next = await p.submit(job());
    expect((next.result as Scripted).pid).not.toBe(pid);
  });

  it('retries a job once on a fresh worker when its worker dies', async () => {
    const p = start();
    const done = await p.submit(job({ crash: { onceMarker: join(work, 'crash-once') } }));
    expect(done.attempts).toBe(2);
    expect(done.ranOn.loadedModel).toBe(true);
  });

  it('fails a job that crashes every worker with the crash reason, and keeps serving', async () => {
    const p = start();
    const error = await engineRejection(p.submit(job({ crash: 'always' })), 'WORKER_CRASHED');
    expect(error.message).toMatch(/crashed on all 2 attempts \(exit code 70\)/);
    await expect(p.submit(job())).resolves.toMatchObject({ attempts: 1 });
  });

  it('passes a failure back as an EngineError without losing the worker', async () => {
    const p = start();
    const error = await engineRejection(
      p.submit(job({ fail: 'the decoder failed (code -7)' })),
      'TRANSCRIBE_FAILED',
    );
    expect(error.message).toBe('the decoder failed (code -7)');
    const missing = await engineRejection(
      p.submit(job({}, { model: { path: '/models/missing.bin', memoryBytes: 1 } })),
    );
    expect(missing.message).toMatch(/no model at \/models\/missing\.bin/);
    await expect(p.submit(job())).resolves.toMatchObject({ attempts: 1 });
  });

  it('refuses work once closed and rejects what was waiting', async () => {
    const p = start();
    const { job: long, started } = startedJob({ durationMs: 2000 });
    // The expectations are attached before close() settles the jobs.
    const running = engineRejection(p.submit(long), 'SHUTTING_DOWN');
    const waiting = engineRejection(p.submit(job()), 'SHUTTING_DOWN');
    await started;
    await p.close();
    await Promise.all([running, waiting]);
    await engineRejection(p.submit(job()), 'SHUTTING_DOWN');
  });

  it('needs at least one worker', () => {
    expect(() =>
      createWhisperPool({ spawnWorker: forkNodeWorkers(scriptedWorker), workers: 0 }),
    ).toThrow(/at least one worker/);
  });

  it('fails waiting jobs when workers die as they start, instead of restarting them forever', async () => {
    const broken = join(work, 'broken-worker.mjs');
    writeFileSync(
      broken,
      "process.stderr.write('cannot load the native library\\n'); process.exit(3);\n",
    );
    let spawned = 0;
    const spawnBroken = forkNodeWorkers(broken);
    pool = createWhisperPool({
      spawnWorker: (id) => {
        spawned += 1;
        return spawnBroken(id);
      },
      workers: 1,
    });
    const error = await engineRejection(pool.submit(job()), 'WORKER_CRASHED');
    expect(error.message).toMatch(/exits as it starts \(exit code 3; .*native library\), 3 times/);
    expect(spawned).toBe(3);
    // Nothing restarts in the background; the next job tries again, three times.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(spawned).toBe(3);
    await engineRejection(pool.submit(job()), 'WORKER_CRASHED');
    expect(spawned).toBe(6);
  }, 30_000);
});
