import { Validator } from '@seriousme/openapi-schema-validator';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsServerMessage } from '../../../contract/events';
import type { JobView } from '../../../contract/jobs';
import type { Engine } from '../../../engine/create-engine';
import { createTestEngine } from '../../../engine/test-support/test-engine';
import { speech } from '../../../engine/whisper/__fixtures__/whisper-fixtures';
import { startServer, type RunningServer } from '../../server';
import { connect, refusedStatus, type TestSocket } from './ws-test-client';

const work = mkdtempSync(join(tmpdir(), 'studio-events-'));
let engine: Engine;
let server: RunningServer;
let wsUrl: string;
let auth: Record<string, string>;
/** Job-event subscriptions open now, counted around the engine's own onEvent. */
let listeners = 0;

beforeAll(async () => {
  engine = await createTestEngine(join(work, 'data'));
  const subscribe = engine.jobs.onEvent.bind(engine.jobs);
  engine.jobs.onEvent = (listener) => {
    const unsubscribe = subscribe(listener);
    listeners++;
    let done = false;
    return () => {
      if (!done) listeners--;
      done = true;
      return unsubscribe();
    };
  };
  server = await startServer({ engine });
  wsUrl = `${server.url.replace(/^http/, 'ws')}/v1/events`;
  auth = { authorization: `Bearer ${engine.tokens.sessionToken(['read', 'transcribe'])}` };
}, 120_000);
afterAll(async () => {
  await server.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const settle = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('WS /v1/events', () => {
  it('streams job progress and segments of a real transcription, then unsubscribes on close', async () => {
    const baseline = listeners;
    const all = await connect(wsUrl, auth);
    expect(await all.next('hello')).toEqual({ type: 'hello', protocol: 1, jobId: null });
    const other = await connect(`${wsUrl}?jobId=some-other-job`, auth);
    await other.next('hello');
    expect(listeners).toBe(baseline + 2);

    const media = await post('/v1/media', { path: speech.jfk });
    expect(media.status).toBe(201);
    const submitted = await post('/v1/jobs', {
      kind: 'transcribe',
      mediaId: media.body.id,
      params: { modelId: 'tiny-random', language: 'en' },
    });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.id as string;
    const one = await connect(`${wsUrl}?jobId=${jobId}`, auth);
    await one.next('hello');

    const finished = (socket: TestSocket) =>
      socket.messages.some(
        (m) => m.type === 'job' && (m.job as JobView).id === jobId && (m.job as JobView).finishedAt,
      );
    for (let i = 0; i < 1200 && !finished(all); i++) await new Promise((r) => setTimeout(r, 100));
    await settle(() => finished(one));

    for (const message of all.messages) expect(eventsServerMessage.parse(message)).toBeTruthy();
    const states = all.messages
      .filter((m) => m.type === 'job' && (m.job as JobView).id === jobId)
      .map((m) => m.job as JobView);
    expect(states.map((s) => s.state)).toContain('running');
    expect(states.at(-1)).toMatchObject({ state: 'completed', percent: 100 });
    const percents = states.filter((s) => s.state === 'running').map((s) => s.percent);
    expect(percents.length).toBeGreaterThan(2);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    const segments = all.messages.filter((m) => m.type === 'job-output' && m.jobId === jobId);
    expect(segments.length).toBeGreaterThan(0);
    for (const { output } of segments as unknown as {
      output: { type: string; transcriptId: string; segment: { t0: number; t1: number } };
    }[]) {
      expect(output.type).toBe('segment');
      expect(output.transcriptId).toBe(
        (states.at(-1)!.result as { transcriptId: string }).transcriptId,
      );
      expect(output.segment.t0).toBeLessThanOrEqual(output.segment.t1);
      expect(output.segment.t1).toBeLessThanOrEqual(11_100);
    }
    // The filtered streams: this job's events only, and nothing for another job.
    expect(
      one.messages.every(
        (m) =>
          m.type === 'hello' ||
          (m.type === 'job' ? (m.job as JobView).id === jobId : m.jobId === jobId),
      ),
    ).toBe(true);
    expect(one.messages.filter((m) => m.type === 'job-output')).toHaveLength(segments.length);
    expect(other.messages.map((m) => m.type)).toEqual(['hello']);

    all.ws.close();
    other.ws.terminate();
    one.ws.close();
    await Promise.all([all.closed, other.closed, one.closed]);
    await settle(() => listeners === baseline);
    expect(listeners).toBe(baseline);
  }, 180_000);

  it('answers ping with pong, and a malformed frame with an error while staying open', async () => {
    const socket = await connect(wsUrl, auth);
    await socket.next('hello');
    socket.ws.send('{not json');
    socket.ws.send(JSON.stringify({ type: 'subscribe' }));
    socket.ws.send(Buffer.from([1, 2, 3]));
    socket.ws.send(JSON.stringify({ type: 'ping' }));
    await socket.next('pong');
    expect(socket.messages.map((m) => m.type)).toEqual([
      'hello',
      'error',
      'error',
      'error',
      'pong',
    ]);
    for (const error of socket.messages.filter((m) => m.type === 'error')) {
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.any(String) });
    }
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.ws.close();
    expect((await socket.closed).code).toBe(1005);
  });

  it('needs a token with the read scope, a known origin, and takes a ticket only once', async () => {
    expect((await refusedStatus(wsUrl)).status).toBe(401);
    const noRead = `Bearer ${engine.tokens.sessionToken(['live'])}`;
    const scope = await refusedStatus(wsUrl, { authorization: noRead });
    expect(scope.status).toBe(403);
    expect(scope.socketClosed).toBe(true);
    expect((await refusedStatus(wsUrl, { ...auth, origin: 'http://evil.example' })).status).toBe(
      403,
    );
    const { body } = await post('/v1/ws-tickets', {});
    const socket = await connect(`${wsUrl}?ticket=${body.ticket as string}`);
    await socket.next('hello');
    socket.ws.close();
    expect((await refusedStatus(`${wsUrl}?ticket=${body.ticket as string}`)).status).toBe(401);
  });

  it('is described in a valid OpenAPI document, with the live route', async () => {
    const document = server.app.swagger() as {
      paths: Record<string, { get?: { summary?: string; description?: string } }>;
    };
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.paths['/v1/events']?.get?.summary).toMatch(/WebSocket/);
    expect(document.paths['/v1/live']?.get?.summary).toMatch(/WebSocket/);
    expect(document.paths['/v1/live']?.get?.description).toMatch(/pcm_s16le/);
    const plain = await fetch(`${server.url}/v1/events`, { headers: auth });
    expect(plain.status).toBe(426);
  });
});
