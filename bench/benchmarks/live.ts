/**
 * Live captions under a real-time stream: a fixture, looped, goes through `WS /v1/live` in 100 ms
 * frames at the speed of speech for `--minutes` (default 30). The server runs in its own process
 * (as `serve` does) and times every decode of the live lane, its CPU and the RSS of itself and its
 * whisper workers; the client runs here and times every caption event against the audio time of
 * the words it carries (the stream is real time, so audio time = wall time since the first frame).
 *
 * With a real model (`--model <path>`) the latencies are end to end. The synthetic default model
 * decodes noise words that rarely agree twice, so its finals come only from pauses and forced
 * commits: then the latencies are estimated as the commit delay of the engine's own live session
 * — fed the real audio, with the real Silero VAD, and hypotheses scripted from the fixture's
 * reference words — plus the measured p95 of a decode step and of a VAD run (`estimated: true`).
 * The reference has no word times, so they are spread evenly over 0.3–10.5 s of jfk.wav.
 *
 * This file is also the server's entry point (LIVE_BENCH_CHILD set): it prints `{ url, token,
 * modelId }`; on stdin, "start" begins the CPU measurement, "mark" records the RSS after the first
 * minute, and "report" prints the figures and exits.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { liveQuery, type LiveServerMessage } from '../../src-main/contract/live';
import { startServer } from '../../src-main/api/server';
import { createEngine } from '../../src-main/engine/create-engine';
import { createLiveSession } from '../../src-main/engine/live/live-session';
import { detectSpeech } from '../../src-main/engine/whisper/addon';
import type { TimedWord } from '../../src-main/engine/live/local-agreement';
import { sileroLiveDetector } from '../../src-main/engine/live/silero-detector';
import {
  readWav16kMono,
  speech,
  testModels,
} from '../../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../../src-main/engine/whisper/test-model/make-test-model';
import { startBenchChild } from '../bench-child';
import type { Benchmark, BenchmarkOptions } from '../benchmark';
import { percentile } from '../stats';

const CHILD_ENV = 'LIVE_BENCH_CHILD';
const frameMs = 100;
const sampleRate = 16_000;
const targets = { partialP95Ms: 1500, finalP95Ms: 3000, rssGrowthPct: 5 };
const jfkReference =
  'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.';

interface ServerInfo {
  url: string;
  token: string;
  modelId: string;
}

interface ServerReport {
  stepDecodeMs: number[];
  /** Audio per decode, in seconds: a decode's time grows with its window. */
  stepWindowSec: number[];
  cpuPct: number;
  rssMarkMb: number;
  rssEndMb: number;
  workers: number;
}

// ---- server side ------------------------------------------------------------------------------

const clockTicksPerSec = 100; // USER_HZ on Linux

/** utime + stime of a process in seconds, 0 when it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSec;
  } catch {
    return 0;
  }
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function serveForBench(dataDir: string, modelPath: string | undefined): Promise<void> {
  const engine = createEngine({ dataDir });
  const modelId = modelPath ? 'bench-model' : 'tiny-random';
  await engine.models.importFile(modelPath ?? (await ensureTestModel('tiny', 1)).path, {
    id: modelId,
  });
  // Sessions use the VAD when it is installed, as a user's would.
  await engine.models.importFile(testModels.sileroVad);
  // The live session does not expose its steps' times: time the live lane's decodes from outside.
  const stepDecodeMs: number[] = [];
  const stepWindowSec: number[] = [];
  const transcribe = engine.whisper.transcribe.bind(engine.whisper);
  engine.whisper.transcribe = async (request) => {
    if (request.lane !== 'live') return transcribe(request);
    const started = performance.now();
    stepWindowSec.push(request.pcm.length / sampleRate);
    const result = await transcribe(request);
    stepDecodeMs.push(performance.now() - started);
    return result;
  };
  const server = await startServer({ engine });
  const info: ServerInfo = {
    url: server.url,
    token: engine.tokens.createToken({ name: 'bench', scopes: ['live'] }).token,
    modelId,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);

  const pids = () => [
    process.pid,
    ...engine.whisper
      .status()
      .workers.flatMap((worker) => (worker.pid === null ? [] : [worker.pid])),
  ];
  const totalRss = () => pids().reduce((sum, pid) => sum + rssMb(pid), 0);
  // Workers spawned later start from 0 CPU: all of theirs falls inside the measurement.
  let cpuStart = new Map<number, number>();
  let startedAt = 0;
  let rssMarkMb = 0;
  for await (const line of createInterface({ input: process.stdin })) {
    const command = line.trim();
    if (command === 'start') {
      startedAt = performance.now();
      cpuStart = new Map(pids().map((pid) => [pid, cpuSeconds(pid)]));
    } else if (command === 'mark') {
      rssMarkMb = totalRss();
    } else if (command === 'report') {
      const wallSec = (performance.now() - startedAt) / 1000;
      const cpu = pids().reduce((sum, pid) => sum + cpuSeconds(pid) - (cpuStart.get(pid) ?? 0), 0);
      const report: ServerReport = {
        stepDecodeMs,
        stepWindowSec,
        cpuPct: (cpu / wallSec) * 100,
        rssMarkMb,
        rssEndMb: totalRss(),
        workers: pids().length - 1,
      };
      process.stdout.write(`${JSON.stringify(report)}\n`);
      await server.close();
      await engine.shutdown();
      return;
    }
  }
}

/** Starts the server process; resolves with its address and a way to end it with a report. */
const startServerProcess = (dataDir: string, modelPath: string | undefined) =>
  startBenchChild<ServerInfo, ServerReport>({
    entry: import.meta.url,
    envName: CHILD_ENV,
    spec: { dataDir, modelPath },
    name: 'the live bench server',
  });

// ---- client side ------------------------------------------------------------------------------

interface StreamResult {
  /** Audio time of the newest word → arrival of the partial showing it. */
  partialMs: number[];
  /** Audio time of each committed word → arrival of its final. */
  finalMs: number[];
  events: Record<string, number>;
  maxLagMs: number;
}

function toPcm16(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) =>
    out.writeInt16LE(Math.round(Math.max(-1, Math.min(1, s)) * 32767), i * 2),
  );
  return out;
}

/** Streams `pcm`, looped, in real time for `durationMs`, then stops and waits for `end`. */
async function streamLive(
  info: ServerInfo,
  pcm: Float32Array,
  durationMs: number,
  onStart: () => void,
  marks: { atMs: number; run: () => void }[],
): Promise<StreamResult> {
  const url = new URL('/v1/live', info.url.replace(/^http/, 'ws'));
  url.searchParams.set('model', info.modelId);
  url.searchParams.set('language', 'en');
  // Keep the library clean where the route offers not saving the session.
  if ('save' in liveQuery.shape) url.searchParams.set('save', 'false');
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${info.token}` } });
  const result: StreamResult = { partialMs: [], finalMs: [], events: {}, maxLagMs: 0 };
  let startedAt = 0;
  const ended = new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => {
      const arrivalMs = performance.now() - startedAt;
      const message = JSON.parse(String(data)) as LiveServerMessage;
      result.events[message.type] = (result.events[message.type] ?? 0) + 1;
      if (message.type === 'partial' && message.text !== '') {
        result.partialMs.push(arrivalMs - message.endMs);
      } else if (message.type === 'final') {
        for (const word of message.words) result.finalMs.push(arrivalMs - word.endMs);
      } else if (message.type === 'lag') {
        result.maxLagMs = Math.max(result.maxLagMs, message.behindMs);
      } else if (message.type === 'error') {
        reject(new Error(`live session error ${message.code}: ${message.message}`));
      }
    });
    socket.once('close', (code, reason) =>
      code === 1000 ? resolve() : reject(new Error(`closed with ${code}: ${String(reason)}`)),
    );
    socket.once('error', reject);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve()); // `ready`
    socket.once('error', reject);
  });

  const frameSamples = (sampleRate * frameMs) / 1000;
  const pcm16 = toPcm16(pcm);
  const frames = Math.floor(durationMs / frameMs);
  const pending = [...marks];
  startedAt = performance.now();
  onStart();
  for (let i = 0; i < frames; i++) {
    // Absolute schedule: a late timer does not slow the stream down.
    const due = startedAt + i * frameMs - performance.now();
    if (due > 0) await sleep(due);
    const from = ((i * frameSamples) % pcm.length) * 2;
    const frame = Buffer.alloc(frameSamples * 2);
    const first = pcm16.copy(frame, 0, from, Math.min(pcm16.length, from + frame.length));
    if (first < frame.length) pcm16.copy(frame, first, 0, frame.length - first);
    socket.send(frame);
    while (pending[0] && i * frameMs >= pending[0].atMs) pending.shift()!.run();
  }
  socket.send(JSON.stringify({ type: 'stop' }));
  await ended;
  return result;
}

/**
 * The stabiliser's delays on speech it can agree on: the engine's live session, fed the real
 * audio in 100 ms frames with the real VAD, and a decoder that "hears" the reference words whole
 * once their audio has arrived. Delays are in audio time: each frame waits until the session's
 * VAD and decode are done, so their compute (measured apart, `vadMs`) adds nothing here.
 */
async function scriptedDelays(
  words: TimedWord[],
  pcm: Float32Array,
  durationMs: number,
): Promise<{ partialMs: number[]; finalMs: number[]; vadMs: number[] }> {
  const loopMs = (pcm.length / sampleRate) * 1000;
  const partialMs: number[] = [];
  const finalMs: number[] = [];
  const vadMs: number[] = [];
  let pushedMs = 0;
  let busy = 0;
  let failure: Error | undefined;
  const maxWindowMs = 30_000;
  // The bench process is not the engine: the addon runs here directly.
  const vad = sileroLiveDetector({ detectSpeech }, testModels.sileroVad);
  const session = createLiveSession({
    id: 'scripted',
    modelId: 'scripted',
    language: 'en',
    maxWindowMs,
    idleTimeoutMs: durationMs + 60_000,
    detectSpeech: async (window, signal) => {
      busy++;
      const started = performance.now();
      try {
        return await vad(window, signal);
      } finally {
        vadMs.push(performance.now() - started);
        busy--;
      }
    },
    decode: async ({ pcm: window, startMs: fromMs }) => {
      const windowMs = window.length / (sampleRate / 1000);
      if (windowMs >= maxWindowMs) throw new Error('scripted window hit its limit');
      const toMs = fromMs + windowMs;
      const heard: TimedWord[] = [];
      for (let loop = Math.floor(fromMs / loopMs) * loopMs; loop < toMs; loop += loopMs) {
        for (const word of words) {
          const startMs = loop + word.startMs;
          const endMs = loop + word.endMs;
          if (endMs > fromMs && endMs <= toMs) {
            heard.push({ ...word, startMs: Math.max(0, startMs - fromMs), endMs: endMs - fromMs });
          }
        }
      }
      return { words: heard, language: 'en' };
    },
    onEvent: (event) => {
      if (event.type === 'partial' && event.text !== '') partialMs.push(pushedMs - event.endMs);
      if (event.type === 'final') {
        for (const word of event.words) finalMs.push(pushedMs - word.endMs);
      }
    },
    onDone: (outcome) => {
      if (!outcome.ok) failure = outcome.error;
    },
  });
  const frameSamples = (sampleRate * frameMs) / 1000;
  /** The stream's samples, looped: sample i of the stream is pcm[i % length]. */
  const stream = (from: number, to: number) =>
    Float32Array.from({ length: to - from }, (_, i) => pcm[(from + i) % pcm.length]!);
  while (pushedMs < durationMs) {
    const from = (pushedMs * sampleRate) / 1000;
    pushedMs += frameMs;
    session.push(stream(from, from + frameSamples));
    // Let the VAD and the (instant) decode finish before the next frame arrives.
    do await new Promise(setImmediate);
    while (busy > 0);
  }
  await session.stop();
  if (failure) throw failure;
  return { partialMs, finalMs, vadMs };
}

/** The jfk reference words, spread evenly over 0.3–10.5 s (the fixture has no word times). */
function jfkWords(): TimedWord[] {
  const texts = jfkReference.split(' ');
  const spanMs = (10_500 - 300) / texts.length;
  return texts.map((text, i) => ({
    text,
    startMs: Math.round(300 + i * spanMs),
    endMs: Math.round(300 + (i + 1) * spanMs),
    p: 0.9,
  }));
}

const round = (value: number, digits = 0) => Number(value.toFixed(digits));

const benchmark: Benchmark = {
  name: 'live',
  description:
    'streams a looped fixture in real time through WS /v1/live for --minutes (default 30) and times partial/final captions, decode steps, CPU and RSS growth',
  async run(options: BenchmarkOptions) {
    const minutes = Number(options.extra.minutes ?? 30);
    if (!(minutes > 0)) throw new Error('--minutes needs a positive number, e.g. --minutes 2');
    const durationMs = minutes * 60_000;
    const pcm = readWav16kMono(speech.jfk);
    const dir = await mkdtemp(path.join(tmpdir(), 'studio-live-bench-'));
    const server = startServerProcess(path.join(dir, 'data'), options.model);
    try {
      const info = await server.info;
      // RSS growth is measured from the end of the first minute (or the middle of a shorter run).
      const markMs = Math.min(60_000, durationMs / 2);
      const stream = await streamLive(info, pcm, durationMs, () => server.send('start'), [
        { atMs: markMs, run: () => server.send('mark') },
      ]);
      const report = await server.finish();

      const stepP95 = percentile(report.stepDecodeMs, 95);
      const estimated = options.model === undefined;
      let partialMs = stream.partialMs;
      let finalMs = stream.finalMs;
      let vadP95: number | undefined;
      if (estimated) {
        const scripted = await scriptedDelays(jfkWords(), pcm, durationMs);
        vadP95 = percentile(scripted.vadMs, 95);
        const computeMs = stepP95 + vadP95;
        partialMs = scripted.partialMs.map((ms) => ms + computeMs);
        finalMs = scripted.finalMs.map((ms) => ms + computeMs);
      }
      const partialP95 = percentile(partialMs, 95);
      const finalP95 = percentile(finalMs, 95);
      const rssGrowthPct = ((report.rssEndMb - report.rssMarkMb) / report.rssMarkMb) * 100;
      return {
        model: options.model ?? 'synthetic tiny (ensureTestModel)',
        minutes,
        estimated,
        partial_p50_ms: round(percentile(partialMs, 50)),
        partial_p95_ms: round(partialP95),
        final_p95_ms: round(finalP95),
        step_decode_p50_ms: round(percentile(report.stepDecodeMs, 50)),
        step_decode_p95_ms: round(stepP95),
        ...(vadP95 === undefined ? {} : { step_vad_p95_ms: round(vadP95, 1) }),
        step_window_p50_s: round(percentile(report.stepWindowSec, 50), 1),
        step_window_p95_s: round(percentile(report.stepWindowSec, 95), 1),
        steps: report.stepDecodeMs.length,
        cpu_pct: round(report.cpuPct, 1),
        cores: availableParallelism(),
        rss_after_first_minute_mb: round(report.rssMarkMb, 1),
        rss_end_mb: round(report.rssEndMb, 1),
        rss_growth_pct: round(rssGrowthPct, 2),
        workers: report.workers,
        // What the stream itself delivered (with the synthetic model: noise words, forced finals).
        stream_partial_p95_ms: round(percentile(stream.partialMs, 95)),
        stream_final_p95_ms: round(percentile(stream.finalMs, 95)),
        stream_events: stream.events,
        stream_max_lag_ms: stream.maxLagMs,
        targets: {
          partial_p95_ms: targets.partialP95Ms,
          final_p95_ms: targets.finalP95Ms,
          rss_growth_pct: targets.rssGrowthPct,
        },
        targets_met:
          partialP95 <= targets.partialP95Ms &&
          finalP95 <= targets.finalP95Ms &&
          rssGrowthPct <= targets.rssGrowthPct,
      };
    } catch (error) {
      server.kill();
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;

const childSpec = process.env[CHILD_ENV];
if (childSpec) {
  const { dataDir, modelPath } = JSON.parse(childSpec) as {
    dataDir: string;
    modelPath?: string;
  };
  await serveForBench(dataDir, modelPath);
}
