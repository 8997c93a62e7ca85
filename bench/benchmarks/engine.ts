/**
 * Our native engine against whisper.cpp's own whisper-cli, built from the same source: same
 * synthetic model, same audio (≥ 60 s of real speech), same threads, greedy without fallback,
 * runs alternating so that machine noise hits both alike. Both are timed from model load to the
 * last segment (whisper-cli as a whole process, ours inside a fresh Node process that also reports
 * its peak RSS and the longest event-loop stall while the transcription runs).
 *
 * This file is also the child's entry point (ENGINE_BENCH_CHILD set): it runs one measurement and
 * prints JSON on stdout.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isEngineError } from '../../src-main/engine/errors';
import {
  readWav16kMono,
  speech,
} from '../../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import { freeModel, loadModel, transcribe } from '../../src-main/engine/whisper/addon';
import {
  ensureWhisperCli,
  runWhisperCli,
  whisperCliLoadOptions,
  whisperCliParams,
} from '../../src-main/engine/whisper/oracle/whisper-cli';
import { ensureTestModel } from '../../src-main/engine/whisper/test-model/make-test-model';
import type { Benchmark } from '../benchmark';

const CHILD_ENV = 'ENGINE_BENCH_CHILD';
/** Alternating runs of each side. @default 2 (BENCH_RUNS overrides) */
const runs = Number(process.env.BENCH_RUNS ?? 2);
const threads = Math.min(4, availableParallelism());

interface Segment {
  t0: number;
  t1: number;
  text: string;
}

interface ChildRun {
  wallMs: number;
  segments: Segment[];
  peakRssMb: number;
  eventLoopMaxBlockMs: number;
}

interface ChildCancel {
  cancelSettleMs: number;
}

async function childTranscribe(model: string, wav: string): Promise<ChildRun> {
  const pcm = readWav16kMono(wav);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const started = performance.now();
  const context = await loadModel({ path: model, ...whisperCliLoadOptions });
  loop.enable();
  const result = await transcribe(context, pcm, whisperCliParams({ threads, language: 'en' }));
  loop.disable();
  const wallMs = performance.now() - started;
  freeModel(context);
  return {
    wallMs,
    segments: result.segments.map((s) => ({ t0: s.t0, t1: s.t1, text: s.text })),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    eventLoopMaxBlockMs: loop.max / 1e6,
  };
}

async function childCancel(model: string, wav: string): Promise<ChildCancel> {
  const context = await loadModel({ path: model, ...whisperCliLoadOptions });
  const controller = new AbortController();
  const running = transcribe(
    context,
    readWav16kMono(wav),
    whisperCliParams({ threads, language: 'en' }),
    {
      signal: controller.signal,
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const abortedAt = performance.now();
  controller.abort();
  const outcome = await running.then(
    () => 'finished',
    (error: unknown) => (isEngineError(error, 'CANCELLED') ? 'cancelled' : String(error)),
  );
  if (outcome !== 'cancelled') throw new Error(`expected the run to be cancelled, got ${outcome}`);
  const cancelSettleMs = performance.now() - abortedAt;
  freeModel(context);
  return { cancelSettleMs };
}

function runChild<T>(mode: 'run' | 'cancel', model: string, wav: string): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, [CHILD_ENV]: JSON.stringify({ mode, model, wav }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`engine bench child (${mode}) exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T);
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

const benchmark: Benchmark = {
  name: 'engine',
  description: `native addon vs whisper-cli: synthetic tiny.en, ≥ 60 s of speech, ${threads} threads, greedy, ${runs} alternating runs each`,
  async run() {
    const binary = await ensureWhisperCli();
    const model = (await ensureTestModel('tiny', 1)).path;
    const dir = await mkdtemp(path.join(tmpdir(), 'studio-engine-bench-'));
    try {
      const wav = path.join(dir, 'speech-62s.wav');
      const speechDir = path.dirname(speech.jfk);
      const parts = [
        'jfk.wav',
        'librivox/sense_and_sensibility_01_austen_64kb-0870.wav',
        'librivox/sense_and_sensibility_01_austen_64kb-0880.wav',
        'librivox/sense_and_sensibility_01_austen_64kb-0890.wav',
        'goforward.wav',
        'librivox/sense_and_sensibility_01_austen_64kb-0920.wav',
        'librivox/sense_and_sensibility_01_austen_64kb-0930.wav',
        'jfk.wav',
        'jfk.wav',
      ].map((part) => path.join(speechDir, part));
      await promisify(execFile)('sox', [...parts, wav]);
      const audioSec = readWav16kMono(wav).length / 16_000;

      const cliWall: number[] = [];
      const ourRuns: ChildRun[] = [];
      let cliSegments: Segment[] = [];
      for (let i = 0; i < runs; i += 1) {
        const cli = await runWhisperCli({ binary, model, wav, threads, language: 'en' });
        cliWall.push(cli.wallMs);
        cliSegments = cli.segments.map((s) => ({ t0: s.t0Ms, t1: s.t1Ms, text: s.text }));
        ourRuns.push(await runChild<ChildRun>('run', model, wav));
      }
      const cancel = await runChild<ChildCancel>('cancel', model, wav);
      const ourWall = ourRuns.map((r) => r.wallMs);
      const identical = ourRuns.every(
        (r) => JSON.stringify(r.segments) === JSON.stringify(cliSegments),
      );
      return {
        audio_sec: round(audioSec, 2),
        threads,
        runs,
        segments: cliSegments.length,
        whisper_cli_wall_ms: round(median(cliWall), 0),
        our_wall_ms: round(median(ourWall), 0),
        ratio_vs_whisper_cli: round(median(ourWall) / median(cliWall)),
        identical_output: identical,
        rtf: round(median(ourWall) / 1000 / audioSec),
        peak_rss_mb: round(Math.max(...ourRuns.map((r) => r.peakRssMb)), 1),
        event_loop_max_block_ms: round(Math.max(...ourRuns.map((r) => r.eventLoopMaxBlockMs)), 1),
        cancel_settle_ms: round(cancel.cancelSettleMs, 0),
        targets_met:
          median(ourWall) / median(cliWall) <= 1.05 &&
          identical &&
          Math.max(...ourRuns.map((r) => r.eventLoopMaxBlockMs)) <= 50 &&
          cancel.cancelSettleMs <= 2000,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;

const childSpec = process.env[CHILD_ENV];
if (childSpec) {
  const { mode, model, wav } = JSON.parse(childSpec) as {
    mode: 'run' | 'cancel';
    model: string;
    wav: string;
  };
  const result = mode === 'run' ? await childTranscribe(model, wav) : await childCancel(model, wav);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
