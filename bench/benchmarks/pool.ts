/**
 * The whisper worker pool on real native workers: throughput of the same batch of jobs with one
 * worker using every core versus two workers sharing them, and how long jobs wait per lane when
 * live, interactive and batch jobs arrive together at a busy pool.
 */
import { availableParallelism } from 'node:os';
import { createWhisperPool, type PoolJob } from '../../src-main/engine/pool/pool';
import type { Lane } from '../../src-main/engine/pool/lane-queue';
import { forkNodeWorkers } from '../../src-main/engine/pool/worker-process';
import {
  readWav16kMono,
  speech,
} from '../../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../../src-main/engine/whisper/test-model/make-test-model';
import type { Benchmark } from '../benchmark';

const cores = availableParallelism();
const jobsPerRun = 6;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

const benchmark: Benchmark = {
  name: 'pool',
  description: `${jobsPerRun} jobs of 11 s speech on synthetic tiny.en: 1 worker × ${cores} threads vs 2 workers × ${Math.max(1, Math.floor(cores / 2))} threads; per-lane wait`,
  async run() {
    const model = {
      path: (await ensureTestModel('tiny', 1)).path,
      memoryBytes: 300 * 1024 ** 2,
      useGpu: false,
    };
    const pcm = readWav16kMono(speech.jfk);
    const audioSec = pcm.length / 16_000;
    const job = (lane: Lane, threads: number): PoolJob => ({
      lane,
      model,
      pcm,
      params: { threads, language: 'en', temperatureInc: 0 },
    });

    /** Wall time of `jobsPerRun` batch jobs, after each worker has loaded the model once. */
    const throughput = async (workers: number) => {
      const threads = Math.max(1, Math.floor(cores / workers));
      const pool = createWhisperPool({ spawnWorker: forkNodeWorkers(), workers });
      try {
        await Promise.all(
          Array.from({ length: workers }, () => pool.submit(job('batch', threads))),
        );
        const started = performance.now();
        await Promise.all(
          Array.from({ length: jobsPerRun }, () => pool.submit(job('batch', threads))),
        );
        const wallSec = (performance.now() - started) / 1000;
        return { wallSec, audioSecPerSec: (jobsPerRun * audioSec) / wallSec };
      } finally {
        await pool.close();
      }
    };

    const one = await throughput(1);
    const two = await throughput(2);

    // One worker, busy with a batch job, then 2 jobs of each lane arrive at once (batch first).
    const pool = createWhisperPool({ spawnWorker: forkNodeWorkers(), workers: 1 });
    const waits: Record<Lane, number[]> = { live: [], interactive: [], batch: [] };
    try {
      await pool.submit(job('batch', cores));
      const busy = pool.submit(job('batch', cores));
      const arrivals: Lane[] = ['batch', 'batch', 'interactive', 'interactive', 'live', 'live'];
      await Promise.all([
        busy,
        ...arrivals.map((lane) =>
          pool.submit(job(lane, cores)).then((r) => waits[lane].push(r.waitedMs)),
        ),
      ]);
    } finally {
      await pool.close();
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

    return {
      cores,
      jobs: jobsPerRun,
      audio_sec_per_job: round(audioSec),
      one_worker_wall_sec: round(one.wallSec),
      two_workers_wall_sec: round(two.wallSec),
      one_worker_audio_sec_per_sec: round(one.audioSecPerSec),
      two_workers_audio_sec_per_sec: round(two.audioSecPerSec),
      throughput_ratio_2_vs_1: round(two.audioSecPerSec / one.audioSecPerSec, 3),
      wait_live_ms: Math.round(mean(waits.live)),
      wait_interactive_ms: Math.round(mean(waits.interactive)),
      wait_batch_ms: Math.round(mean(waits.batch)),
      lanes_in_order:
        mean(waits.live) < mean(waits.interactive) && mean(waits.interactive) < mean(waits.batch),
    };
  },
};

export default benchmark;
