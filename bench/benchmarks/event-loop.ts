/**
 * The engine's event loop during a long job: one transcription with speakers on (the built-in
 * fallback diarizer, VAD on) of `speech.jfk` looped to --minutes (default 30; the issue's target
 * is 180) through a real test engine (tiny-random model, Silero VAD), while the loop is watched
 * two ways: perf_hooks' monitorEventLoopDelay (max and p99) and a 10 ms setInterval whose worst
 * lateness is the longest the loop was held. Also reports the job's wall time per stage and
 * whether this process loaded the whisper addon (it must not: native and heavy work runs in
 * worker processes). Target: max block ≤ 50 ms.
 *
 * `--minutes=N` sets the audio length; `--keep-audio` keeps the looped WAV in the OS temp folder
 * between runs (it is made once per length).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loopedSpeech } from '../../src-main/engine/media/__fixtures__/media-fixtures';
import { jobFinished } from '../../src-main/engine/test-support/job-finished';
import { createTestEngine } from '../../src-main/engine/test-support/test-engine';
import type { Benchmark, BenchmarkOptions } from '../benchmark';

/** Length of speech.jfk in seconds (11.0 s). */
const JFK_SEC = 11;
const PROBE_MS = 10;

/** Whether this process has the whisper addon (or sherpa-onnx) mapped: Linux only, else null. */
function nativeMapped(): { whisper: boolean; sherpa: boolean } | null {
  if (process.platform !== 'linux') return null;
  const maps = readFileSync('/proc/self/maps', 'utf8');
  return { whisper: maps.includes('studio_whisper.node'), sherpa: maps.includes('sherpa-onnx') };
}

async function run(options: BenchmarkOptions): Promise<Record<string, unknown>> {
  const minutes = Number(options.extra.minutes ?? 30);
  const loops = Math.max(1, Math.round((minutes * 60) / JFK_SEC));
  const audio = path.join(tmpdir(), `studio-event-loop-bench-${loops}.wav`);
  if (!existsSync(audio)) await loopedSpeech(audio, loops);
  const work = await mkdtemp(path.join(tmpdir(), 'studio-event-loop-bench-'));
  const engine = await createTestEngine(path.join(work, 'data'));
  try {
    const media = await engine.media.add(audio);
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    let worstLagMs = 0;
    let last = performance.now();
    /** Lags over 50 ms, with the job's stage when the probe noticed them. */
    const blocks: string[] = [];
    const probe = setInterval(() => {
      const now = performance.now();
      const lag = now - last - PROBE_MS;
      worstLagMs = Math.max(worstLagMs, lag);
      if (lag > 50)
        blocks.push(`${stage}@${Math.round((now - started) / 1000)}s:${Math.round(lag)}ms`);
      last = now;
    }, PROBE_MS);
    const stages: Record<string, number> = {};
    let stage = 'queued';
    let started = performance.now();
    let stageAt = performance.now();
    const watched: { jobId?: string } = {};
    const offStages = engine.jobs.onEvent(() => {
      const current = watched.jobId === undefined ? undefined : engine.jobs.get(watched.jobId);
      const now = current?.stage ?? stage;
      if (now !== stage) {
        stages[stage] = Math.round(performance.now() - stageAt);
        stage = now;
        stageAt = performance.now();
      }
    });
    histogram.enable();
    started = performance.now();
    const job = engine.jobs.submit({
      kind: 'transcribe',
      mediaId: media.id,
      params: { modelId: 'tiny-random', language: 'en', vad: true, speakers: { mode: 'auto' } },
    });
    watched.jobId = job.id;
    const finished = await jobFinished(engine, job.id);
    const wallMs = performance.now() - started;
    stages[stage] = Math.round(performance.now() - stageAt);
    histogram.disable();
    clearInterval(probe);
    offStages();
    if (finished.state !== 'completed') {
      throw new Error(`The job ended ${finished.state}: ${JSON.stringify(finished.error)}`);
    }
    const mapped = nativeMapped();
    return {
      audioMinutes: Math.round((loops * JFK_SEC) / 6) / 10,
      jobWallSec: Math.round(wallMs / 100) / 10,
      stageWallMs: JSON.stringify(stages),
      eventLoopMaxMs: Math.round(histogram.max / 1e5) / 10,
      eventLoopP99Ms: Math.round(histogram.percentile(99) / 1e5) / 10,
      intervalWorstLagMs: Math.round(worstLagMs * 10) / 10,
      blocksOver50ms: blocks.join(' ') || 'none',
      addonInEngineProcess: mapped?.whisper ?? 'unknown',
      sherpaInEngineProcess: mapped?.sherpa ?? 'unknown',
    };
  } finally {
    await engine.shutdown();
    await rm(work, { recursive: true, force: true });
    if (options.extra['keep-audio'] !== true) await rm(audio, { force: true });
  }
}

const benchmark: Benchmark = {
  name: 'event-loop',
  description:
    "the engine's event loop (max block) during a long transcription with speakers on (fallback diarizer)",
  run,
};
export default benchmark;
