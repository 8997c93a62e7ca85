/**
 * A mass cancel under watch: N queued jobs (--jobs, default 500), M clients (--clients, default
 * 20) on `WS /v1/events`, and every job cancelled over HTTP, one request after another (or
 * --parallel at a time), while a prober times `GET /health` back to back. Reports how long until
 * every client had heard every cancel, how many messages each client got, and /health p50/p99.
 * Targets: ≤ 5 s in all and /health p99 ≤ 50 ms.
 *
 * The server runs in its own process (as `serve` does) with a real engine whose job runner is not
 * started, so every job stays queued until cancelled. This file is also that process's entry
 * point (MASS_CANCEL_BENCH_CHILD set): it prints `{ url, token, mediaId }`, "measure" on stdin
 * starts its event-loop monitor and "report" prints the figures and exits.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { startServer } from '../../src-main/api/server';
import { createEngine } from '../../src-main/engine/create-engine';
import { speech } from '../../src-main/engine/media/__fixtures__/media-fixtures';
import { startBenchChild } from '../bench-child';
import type { Benchmark, BenchmarkOptions } from '../benchmark';
import { percentile } from '../stats';

const CHILD_ENV = 'MASS_CANCEL_BENCH_CHILD';

interface ServerInfo {
  url: string;
  token: string;
  mediaId: string;
}

interface ServerReport {
  eventLoopMaxMs: number;
  eventLoopP99Ms: number;
  /** CPU the server process used while measured: what the run cost, however busy the machine. */
  cpuMs: number;
}

async function serveForBench(dataDir: string, jobs: number): Promise<void> {
  const engine = createEngine({ dataDir, owner: 'the mass-cancel bench' });
  engine.settings.update({ maxQueuedJobs: Math.max(500, jobs) });
  const media = await engine.media.add(speech.jfk);
  // The job runner is not started: submitted jobs wait in the queue.
  const server = await startServer({ engine });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  let cpu = process.cpuUsage();
  const info: ServerInfo = {
    url: server.url,
    token: engine.tokens.createToken({ name: 'bench', scopes: ['read', 'transcribe'] }).token,
    mediaId: media.id,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === 'measure') {
      loop.enable();
      cpu = process.cpuUsage();
    }
    if (line.trim() !== 'report') continue;
    loop.disable();
    const used = process.cpuUsage(cpu);
    const report: ServerReport = {
      eventLoopMaxMs: loop.max / 1e6,
      eventLoopP99Ms: loop.percentile(99) / 1e6,
      cpuMs: (used.user + used.system) / 1000,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    await server.close();
    await engine.shutdown();
    return;
  }
}

/** One HTTP request over `agent`; resolves with the status, body and time to the last byte. */
function call(
  agent: Agent,
  method: string,
  url: URL,
  token: string,
  payload?: unknown,
): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body, ms: performance.now() - started }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload === undefined ? undefined : JSON.stringify(payload));
  });
}

/** An events client that counts what it receives and which jobs it has heard were cancelled. */
interface Listener {
  ws: WebSocket;
  messages: number;
  cancelled: Set<string>;
}

async function listen(agent: Agent, base: string, token: string): Promise<Listener> {
  const issued = await call(agent, 'POST', new URL('/v1/ws-tickets', base), token);
  if (issued.status !== 201) throw new Error(`ticket refused: ${issued.body}`);
  const { ticket } = JSON.parse(issued.body) as { ticket: string };
  const url = new URL(`/v1/events?ticket=${encodeURIComponent(ticket)}`, base);
  url.protocol = 'ws:';
  const ws = new WebSocket(url);
  const listener: Listener = { ws, messages: 0, cancelled: new Set() };
  ws.on('message', (data) => {
    listener.messages += 1;
    const text = String(data);
    // Parse only what matters: with many clients and messages the parsing would be the load.
    if (text.includes('"state":"cancelled"')) {
      const message = JSON.parse(text) as { type: string; job?: { id: string; state: string } };
      if (message.job?.state === 'cancelled') listener.cancelled.add(message.job.id);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return listener;
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

const benchmark: Benchmark = {
  name: 'mass-cancel',
  description:
    'N queued jobs (--jobs, default 500) cancelled over HTTP (--parallel requests at a time, default 1) while M clients (--clients, default 20) listen on /v1/events and /health is timed',
  async run(options: BenchmarkOptions) {
    const jobs = Number(options.extra.jobs ?? 500);
    const clients = Number(options.extra.clients ?? 20);
    const parallel = Math.max(1, Number(options.extra.parallel ?? 1));
    const timeoutMs = Number(options.extra.timeout ?? 300) * 1000;
    const dir = await mkdtemp(path.join(tmpdir(), 'studio-mass-cancel-'));
    const server = startBenchChild<ServerInfo, ServerReport>({
      entry: import.meta.url,
      envName: CHILD_ENV,
      spec: { dataDir: path.join(dir, 'data'), jobs },
      name: 'the mass-cancel bench server',
    });
    const agent = new Agent({ keepAlive: true, maxSockets: parallel + 2 });
    const probeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const listeners: Listener[] = [];
    try {
      const { url, token, mediaId } = await server.info;
      const ids: string[] = [];
      for (let i = 0; i < jobs; i += 1) {
        const submitted = await call(agent, 'POST', new URL('/v1/jobs', url), token, {
          kind: 'transcribe',
          mediaId,
          params: { modelId: 'tiny-random', language: 'en' },
        });
        if (submitted.status !== 202) throw new Error(`job submit failed: ${submitted.body}`);
        ids.push((JSON.parse(submitted.body) as { id: string }).id);
      }
      for (let i = 0; i < clients; i += 1) listeners.push(await listen(agent, url, token));
      // Whatever the submits set off has been sent before counting starts.
      await sleep(1000);
      for (const listener of listeners) listener.messages = 0;

      // /health, back to back, for the whole run.
      const health: number[] = [];
      let probing = true;
      const prober = (async () => {
        while (probing) {
          const answer = await call(probeAgent, 'GET', new URL('/health', url), token);
          if (answer.status === 200) health.push(answer.ms);
          await sleep(5);
        }
      })();

      server.send('measure');
      const started = performance.now();
      let next = 0;
      let failed = 0;
      await Promise.all(
        Array.from({ length: parallel }, async () => {
          while (next < ids.length) {
            const id = ids[next++]!;
            const answer = await call(agent, 'DELETE', new URL(`/v1/jobs/${id}`, url), token);
            if (answer.status !== 200) failed += 1;
          }
        }),
      );
      const cancelsMs = performance.now() - started;
      const until = started + timeoutMs;
      while (listeners.some((l) => l.cancelled.size < ids.length) && performance.now() < until) {
        await sleep(10);
      }
      const totalMs = performance.now() - started;
      const heardAll = listeners.every((l) => l.cancelled.size === ids.length);
      // Anything still on its way after the last cancel is counted too.
      await sleep(1000);
      probing = false;
      await prober;
      const report = await server.finish();

      const messages = listeners.map((l) => l.messages);
      const healthP99 = percentile(health, 99);
      return {
        jobs,
        clients,
        parallel,
        cancel_errors: failed,
        cancel_requests_ms: round(cancelsMs, 0),
        total_ms: round(totalMs, 0),
        every_client_heard_every_cancel: heardAll,
        messages_per_client_mean: round(messages.reduce((a, b) => a + b, 0) / clients, 0),
        messages_per_client_max: Math.max(...messages),
        health_requests: health.length,
        health_p50_ms: round(percentile(health, 50), 2),
        health_p99_ms: round(healthP99, 2),
        health_max_ms: round(Math.max(0, ...health), 2),
        server_event_loop_max_ms: round(report.eventLoopMaxMs),
        server_event_loop_p99_ms: round(report.eventLoopP99Ms),
        server_cpu_ms: round(report.cpuMs, 0),
        targets_met: heardAll && failed === 0 && totalMs <= 5000 && healthP99 <= 50,
      };
    } catch (error) {
      server.kill();
      throw error;
    } finally {
      for (const listener of listeners) listener.ws.terminate();
      agent.destroy();
      probeAgent.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;

const childSpec = process.env[CHILD_ENV];
if (childSpec) {
  const { dataDir, jobs } = JSON.parse(childSpec) as { dataDir: string; jobs: number };
  await serveForBench(dataDir, jobs);
}
