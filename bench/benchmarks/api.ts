/**
 * The local API under load: 100 concurrent clients poll a running job's status and list the
 * media library, over real HTTP on loopback with keep-alive, while the engine transcribes ≥ 2 min
 * of speech with the synthetic tiny model. The server runs in its own process (as `serve` does)
 * and reports the longest event-loop stall it saw; the clients run here and time every request.
 *
 * This file is also the server's entry point (API_BENCH_CHILD set): it starts an engine and the
 * API and prints `{ url, token, mediaId }`; on stdin, "measure" starts its event-loop monitor
 * (once the job is past its one-time start-up: worker spawn, model load) and "report" prints
 * the figures and exits.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { startServer } from '../../src-main/api/server';
import { createEngine } from '../../src-main/engine/create-engine';
import { speech, testModels } from '../../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../../src-main/engine/whisper/test-model/make-test-model';
import { startBenchChild } from '../bench-child';
import type { Benchmark, BenchmarkOptions } from '../benchmark';
import { percentile } from '../stats';

const CHILD_ENV = 'API_BENCH_CHILD';

interface ServerInfo {
  url: string;
  token: string;
  mediaId: string;
}

interface ServerReport {
  eventLoopMaxMs: number;
  eventLoopP99Ms: number;
}

/** The server side: an engine with the test model, a library of a few items, the API. */
async function serveForBench(dataDir: string, wav: string): Promise<void> {
  const engine = createEngine({ dataDir });
  await engine.models.importFile((await ensureTestModel('tiny', 1)).path, { id: 'tiny-random' });
  await engine.models.importFile(testModels.sileroVad);
  // A library worth listing: the long file and a few more.
  const media = await engine.media.add(wav);
  for (let i = 0; i < 20; i += 1) await engine.media.add(speech.jfk);
  await engine.jobs.start();
  const server = await startServer({ engine });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const info: ServerInfo = {
    url: server.url,
    token: engine.tokens.createToken({ name: 'bench', scopes: ['read', 'transcribe'] }).token,
    mediaId: media.id,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === 'measure') loop.enable();
    if (line.trim() !== 'report') continue;
    loop.disable();
    const report: ServerReport = {
      eventLoopMaxMs: loop.max / 1e6,
      eventLoopP99Ms: loop.percentile(99) / 1e6,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    await server.close();
    await engine.shutdown();
    return;
  }
}

/** Starts the server process; resolves with its address and a way to end it with a report. */
const startServerProcess = (dataDir: string, wav: string) =>
  startBenchChild<ServerInfo, ServerReport>({
    entry: import.meta.url,
    envName: CHILD_ENV,
    spec: { dataDir, wav },
    name: 'the API bench server',
  });

interface Sample {
  ms: number;
  ok: boolean;
}

/** One HTTP request over the shared keep-alive agent, timed from send to the last byte. */
function timedGet(agent: Agent, url: URL, token: string): Promise<Sample & { body: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      url,
      { agent, headers: { authorization: `Bearer ${token}` } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ ms: performance.now() - started, ok: response.statusCode === 200, body }),
        );
        response.on('error', () => resolve({ ms: performance.now() - started, ok: false, body }));
      },
    );
    req.on('error', () => resolve({ ms: performance.now() - started, ok: false, body: '' }));
    req.end();
  });
}

function post(
  url: URL,
  token: string,
  payload: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(payload));
  });
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

const benchmark: Benchmark = {
  name: 'api',
  description:
    'N concurrent clients (--clients, default 100) each poll a running job or list media every --interval ms (default 250) for --seconds (default 10) over loopback HTTP',
  async run(options: BenchmarkOptions) {
    const clients = Number(options.extra.clients ?? 100);
    const seconds = Number(options.extra.seconds ?? 10);
    // A UI polls a few times a second; back-to-back requests would measure queueing, not latency.
    const intervalMs = Number(options.extra.interval ?? 250);
    const dir = await mkdtemp(path.join(tmpdir(), 'studio-api-bench-'));
    const wav = path.join(dir, 'speech-long.wav');
    // ≥ 2 minutes, so the transcription runs for the whole measurement.
    await promisify(execFile)('sox', [...Array<string>(12).fill(speech.jfk), wav]);
    const server = startServerProcess(path.join(dir, 'data'), wav);
    try {
      const { url, token, mediaId } = await server.info;
      const submitted = await post(new URL('/v1/jobs', url), token, {
        kind: 'transcribe',
        mediaId,
        params: { modelId: 'tiny-random', language: 'en' },
      });
      if (submitted.status !== 202) throw new Error(`job submit failed: ${submitted.body}`);
      const jobId = (JSON.parse(submitted.body) as { id: string }).id;
      const jobUrl = new URL(`/v1/jobs/${jobId}`, url);
      const mediaUrl = new URL('/v1/media', url);

      const agent = new Agent({ keepAlive: true, maxSockets: clients });
      // Measure once Whisper is at work, so the load overlaps the transcription proper.
      for (;;) {
        const job = JSON.parse((await timedGet(agent, jobUrl, token)).body) as {
          state: string;
          stage: string | null;
        };
        if (job.stage === 'transcribe') break;
        if (job.state !== 'queued' && job.state !== 'running') {
          throw new Error(`the job ended (${job.state}) before the load started`);
        }
        await sleep(50);
      }
      server.send('measure');
      const samples: Sample[] = [];
      const states = new Map<string, number>();
      const until = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: clients }, async (_, client) => {
          // Spread the clients' first requests over one interval.
          await sleep((client / clients) * intervalMs);
          for (let i = client; performance.now() < until; i += 1) {
            const pollJob = i % 2 === 0;
            const sample = await timedGet(agent, pollJob ? jobUrl : mediaUrl, token);
            samples.push({ ms: sample.ms, ok: sample.ok });
            if (pollJob && sample.ok) {
              const state = (JSON.parse(sample.body) as { state: string }).state;
              states.set(state, (states.get(state) ?? 0) + 1);
            }
            await sleep(intervalMs);
          }
        }),
      );
      agent.destroy();
      const report = await server.finish();

      const times = samples.map((s) => s.ms).sort((a, b) => a - b);
      const errors = samples.filter((s) => !s.ok).length;
      const polls = [...states.values()].reduce((a, b) => a + b, 0);
      const p99 = percentile(times, 99);
      return {
        clients,
        seconds,
        interval_ms: intervalMs,
        requests: samples.length,
        requests_per_sec: round(samples.length / seconds, 0),
        errors,
        p50_ms: round(percentile(times, 50), 2),
        p95_ms: round(percentile(times, 95), 2),
        p99_ms: round(p99, 2),
        max_ms: round(times.at(-1) ?? 0, 2),
        // Share of status polls that saw the job running: the load overlapped the transcription.
        job_running_share: round((states.get('running') ?? 0) / Math.max(1, polls), 3),
        server_event_loop_max_ms: round(report.eventLoopMaxMs),
        server_event_loop_p99_ms: round(report.eventLoopP99Ms),
        targets_met: p99 <= 25 && errors === 0 && report.eventLoopMaxMs <= 50,
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
  const { dataDir, wav } = JSON.parse(childSpec) as { dataDir: string; wav: string };
  await serveForBench(dataDir, wav);
}
