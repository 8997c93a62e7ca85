import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveServerMessage } from '../../../contract/live';
import { createEngine, type Engine } from '../../../engine/create-engine';
import {
  readWav16kMono,
  speech,
  testModels,
} from '../../../engine/whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../../../engine/whisper/test-model/make-test-model';
import { startServer, type RunningServer } from '../../server';
import { connect, refusedStatus, toPcm16, type TestSocket } from '../events/ws-test-client';

const work = mkdtempSync(join(tmpdir(), 'studio-live-'));
let engine: Engine;
let server: RunningServer;
let wsUrl: string;
let liveAuth: Record<string, string>;
let readAuth: Record<string, string>;
let ticketAuth: Record<string, string>;
const jfk = toPcm16(readWav16kMono(speech.jfk));
const liveWindowsMs: number[] = [];
const frameBytes = 3200; // 100 ms

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  await engine.models.importFile((await ensureTestModel('tiny', 1)).path, { id: 'tiny-random' });
  // With the VAD model installed, sessions skip silence and commit utterances at pauses.
  await engine.models.importFile(testModels.sileroVad);
  // Every live-lane decode's window, in ms.
  const transcribe = engine.whisper.transcribe.bind(engine.whisper);
  engine.whisper.transcribe = (request) => {
    if (request.lane === 'live') liveWindowsMs.push(request.pcm.length / 16);
    return transcribe(request);
  };
  server = await startServer({ engine });
  wsUrl = server.url.replace(/^http/, 'ws');
  liveAuth = { authorization: `Bearer ${engine.tokens.sessionToken(['live'])}` };
  readAuth = { authorization: `Bearer ${engine.tokens.sessionToken(['read', 'transcribe'])}` };
  ticketAuth = { authorization: `Bearer ${engine.tokens.sessionToken(['read', 'live'])}` };
}, 120_000);
afterAll(async () => {
  await server.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

/** Files in the uploads folder, once every session has ended and cleaned up. */
const uploads = async () => {
  await sessionsDrained();
  // Deleting a recording finishes shortly after its session closes.
  await new Promise((resolve) => setTimeout(resolve, 200));
  try {
    return readdirSync(join(work, 'data', 'uploads')).sort();
  } catch {
    return [];
  }
};

const readdirUploads = async () => {
  try {
    return readdirSync(join(work, 'data', 'uploads'));
  } catch {
    return [];
  }
};

const sessionsDrained = async () => {
  for (let i = 0; i < 100 && engine.live.activeSessions > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return engine.live.activeSessions;
};

async function streamFile(socket: TestSocket, pcm: Buffer) {
  for (let at = 0; at < pcm.length; at += frameBytes) {
    socket.ws.send(pcm.subarray(at, at + frameBytes));
    // Faster than real time (about 4×), but spread out so several decode steps happen while
    // the audio arrives.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  socket.ws.send(JSON.stringify({ type: 'stop' }));
}

describe('WS /v1/live', () => {
  it('captions a streamed recording: ready, ordered partial/final events within the audio, end, 1000', async () => {
    const socket = await connect(`${wsUrl}/v1/live?language=en`, liveAuth);
    const ready = await socket.next('ready');
    expect(ready).toMatchObject({
      sampleRate: 16000,
      format: 'pcm_s16le',
      channels: 1,
      modelId: 'tiny-random',
      language: 'en',
    });
    expect(engine.live.activeSessions).toBe(1);
    await streamFile(socket, jfk);
    const closed = await socket.closed;
    expect(closed.code).toBe(1000);

    const messages = socket.messages;
    for (const message of messages) expect(liveServerMessage.parse(message)).toEqual(message);
    expect(messages[0]!.type).toBe('ready');
    const end = messages.at(-1)!;
    expect(end).toEqual({
      type: 'end',
      durationMs: 11_000,
      mediaId: expect.any(String),
      transcriptId: expect.any(String),
    });
    const audioMs = (jfk.length / 2 / 16_000) * 1000;
    const finals = messages.filter((m) => m.type === 'final') as unknown as {
      text: string;
      startMs: number;
      endMs: number;
      words: { text: string; startMs: number; endMs: number; p: number }[];
    }[];
    expect(finals.length).toBeGreaterThan(0);
    let lastEnd = 0;
    for (const final of finals) {
      expect(final.words.length).toBeGreaterThan(0);
      expect(final.text).toBe(final.words.map((w) => w.text).join(' '));
      expect(final.startMs).toBeGreaterThanOrEqual(lastEnd);
      expect(final.startMs).toBeLessThanOrEqual(final.endMs);
      expect(final.endMs).toBeLessThanOrEqual(audioMs);
      for (const word of final.words) {
        expect(word.startMs).toBeGreaterThanOrEqual(lastEnd);
        expect(word.endMs).toBeGreaterThanOrEqual(word.startMs);
        lastEnd = word.endMs;
      }
      expect(final.endMs).toBe(lastEnd);
    }
    for (const partial of messages.filter((m) => m.type === 'partial') as unknown as {
      startMs: number;
      endMs: number;
    }[]) {
      expect(partial.startMs).toBeLessThanOrEqual(partial.endMs);
      expect(partial.endMs).toBeLessThanOrEqual(audioMs);
    }
    expect(messages.filter((m) => m.type === 'partial').length).toBeGreaterThan(0);
    expect(messages.filter((m) => m.type === 'error')).toEqual([]);
    expect(await sessionsDrained()).toBe(0);

    // The session is saved: the recorded audio as a library item, the final words as its transcript.
    const item = await fetch(`${server.url}/v1/media/${String(end.mediaId)}`, {
      headers: readAuth,
    });
    expect(item.status).toBe(200);
    const media = (await item.json()) as { durationSec: number; container: string; path: string };
    expect(media.durationSec).toBeCloseTo(11, 1);
    expect(media.container).toMatch(/wav/);
    expect(media.path.startsWith(join(work, 'data', 'uploads'))).toBe(true);
    const got = await fetch(`${server.url}/v1/transcripts/${String(end.transcriptId)}`, {
      headers: readAuth,
    });
    expect(got.status).toBe(200);
    const transcript = (await got.json()) as {
      mediaId: string;
      modelId: string;
      status: string;
      document: {
        durationMs: number;
        segments: { lines: { words: { text: string; start: number; end: number }[] }[] }[];
      };
    };
    expect(transcript).toMatchObject({
      mediaId: end.mediaId,
      modelId: 'tiny-random',
      status: 'complete',
    });
    expect(transcript.document.durationMs).toBe(11_000);
    const saved = transcript.document.segments.flatMap((segment) =>
      segment.lines.flatMap((line) => line.words),
    );
    expect(saved.map((word) => word.text)).toEqual(
      finals.flatMap((final) => final.words.map((word) => word.text)),
    );
    let previous = 0;
    for (const word of saved) {
      expect(word.start).toBeGreaterThanOrEqual(previous);
      expect(word.end).toBeGreaterThanOrEqual(word.start);
      expect(word.end).toBeLessThanOrEqual(11_000);
      previous = word.start;
    }
  }, 180_000);

  it('decodes no silence: a silent stream ends without a decode or a caption', async () => {
    const decodesBefore = liveWindowsMs.length;
    const socket = await connect(`${wsUrl}/v1/live?language=en&save=false`, liveAuth);
    await socket.next('ready');
    await streamFile(socket, Buffer.alloc(5 * 32_000));
    expect((await socket.closed).code).toBe(1000);
    expect(liveWindowsMs.length).toBe(decodesBefore);
    expect(socket.messages.map((m) => m.type)).toEqual(['ready', 'end']);
  }, 60_000);

  it('starts decoding at the speech after leading silence, in windows the VAD keeps short', async () => {
    const decodesBefore = liveWindowsMs.length;
    const socket = await connect(`${wsUrl}/v1/live?language=en&save=false`, liveAuth);
    await socket.next('ready');
    // 4 s of silence, then the speech.
    await streamFile(socket, Buffer.concat([Buffer.alloc(4 * 32_000), jfk]));
    expect((await socket.closed).code).toBe(1000);
    const windows = liveWindowsMs.slice(decodesBefore);
    expect(windows.length).toBeGreaterThan(0);
    // No window reaches back into the silence: the speech itself is 11 s long.
    expect(Math.max(...windows)).toBeLessThanOrEqual(11_500);
    expect(socket.messages.filter((m) => m.type === 'final').length).toBeGreaterThan(0);
    expect(socket.messages.at(-1)).toMatchObject({ type: 'end', durationMs: 15_000 });
  }, 120_000);

  it('with ?save=false adds nothing to the library and leaves no file', async () => {
    const before = await uploads();
    const mediaBefore = engine.repos.media.list().length;
    const socket = await connect(`${wsUrl}/v1/live?save=false`, liveAuth);
    await socket.next('ready');
    socket.ws.send(jfk.subarray(0, frameBytes * 5));
    socket.ws.send(JSON.stringify({ type: 'stop' }));
    expect((await socket.closed).code).toBe(1000);
    expect(socket.messages.at(-1)).toEqual({ type: 'end', durationMs: 500 });
    expect(engine.repos.media.list()).toHaveLength(mediaBefore);
    expect(await uploads()).toEqual(before);
  }, 60_000);

  it('deletes the recording of a client that disconnects mid-stream', async () => {
    const before = await uploads();
    const mediaBefore = engine.repos.media.list().length;
    const socket = await connect(`${wsUrl}/v1/live`, liveAuth);
    await socket.next('ready');
    for (let at = 0; at < frameBytes * 20; at += frameBytes) {
      socket.ws.send(jfk.subarray(at, at + frameBytes));
    }
    // The recording exists while the session runs…
    for (let i = 0; i < 50 && (await readdirUploads()).length === before.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await readdirUploads()).length).toBe(before.length + 1);
    socket.ws.terminate();
    // …and is gone once the client is.
    expect(await uploads()).toEqual(before);
    expect(engine.repos.media.list()).toHaveLength(mediaBefore);
  }, 60_000);

  it('refuses a token without the live scope at the upgrade (403, never opened), no token (401) and a foreign Origin (403)', async () => {
    const scope = await refusedStatus(`${wsUrl}/v1/live`, readAuth);
    expect(scope.status).toBe(403);
    expect(JSON.parse(scope.body).error.code).toBe('FORBIDDEN_SCOPE');
    // The server hangs up after refusing, even though this client keeps its end open.
    expect(scope.socketClosed).toBe(true);
    expect((await refusedStatus(`${wsUrl}/v1/live`)).status).toBe(401);
    // Any refused upgrade is hung up on, also one to a path that has no WebSocket route.
    const unknown = await refusedStatus(`${wsUrl}/v1/no-such-socket`, liveAuth);
    expect(unknown.status).toBe(403); // a `live` token may not even look up other /v1 paths
    expect(unknown.socketClosed).toBe(true);
    const origin = await refusedStatus(`${wsUrl}/v1/live`, {
      ...liveAuth,
      origin: 'http://evil.example',
    });
    expect(origin.status).toBe(403);
    expect(JSON.parse(origin.body).error.code).toBe('FORBIDDEN_ORIGIN');
    expect(engine.live.activeSessions).toBe(0);
  });

  it('accepts a ticket once; the same ticket again is refused', async () => {
    const issued = await fetch(`${server.url}/v1/ws-tickets`, {
      method: 'POST',
      headers: ticketAuth,
    });
    expect(issued.status).toBe(201);
    const { ticket } = (await issued.json()) as { ticket: string };
    const socket = await connect(`${wsUrl}/v1/live?ticket=${ticket}`);
    await socket.next('ready');
    socket.ws.send(JSON.stringify({ type: 'stop' }));
    expect((await socket.closed).code).toBe(1000);
    expect(socket.messages.at(-1)).toEqual({ type: 'end', durationMs: 0 });
    const reused = await refusedStatus(`${wsUrl}/v1/live?ticket=${ticket}`);
    expect(reused.status).toBe(401);
  });

  it.each([
    ['an odd byte count', Buffer.alloc(3201)],
    ['more than 1 s of audio', Buffer.alloc(32_002)],
  ])('answers a binary frame with %s with an error and close 1007', async (_, frame) => {
    const socket = await connect(`${wsUrl}/v1/live`, liveAuth);
    await socket.next('ready');
    socket.ws.send(frame);
    const closed = await socket.closed;
    expect(closed.code).toBe(1007);
    expect(closed.reason).toMatch(/frame/);
    expect(socket.messages.at(-1)).toMatchObject({ type: 'error', code: 'INVALID_ARGUMENT' });
    expect(await sessionsDrained()).toBe(0);
  });

  it('answers a bad control message with an error and keeps the session open', async () => {
    const socket = await connect(`${wsUrl}/v1/live`, liveAuth);
    await socket.next('ready');
    socket.ws.send('not json');
    socket.ws.send(JSON.stringify({ type: 'pause' }));
    socket.ws.send(jfk.subarray(0, frameBytes * 5));
    socket.ws.send(JSON.stringify({ type: 'stop' }));
    expect((await socket.closed).code).toBe(1000);
    const errors = socket.messages.filter((m) => m.type === 'error');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ code: 'INVALID_ARGUMENT', message: /not JSON/ });
    expect(socket.messages.at(-1)).toMatchObject({ type: 'end', durationMs: 500 });
  }, 60_000);

  it('refuses sessions beyond the limit with QUEUE_FULL and 1013, and frees sessions whose client vanishes', async () => {
    const first = await connect(`${wsUrl}/v1/live`, liveAuth);
    const second = await connect(`${wsUrl}/v1/live`, liveAuth);
    await Promise.all([first.next('ready'), second.next('ready')]);
    // Audio in flight: the first session is decoding when its client disappears.
    first.ws.send(jfk.subarray(0, 32_000));
    first.ws.send(jfk.subarray(32_000, 64_000));
    const third = await connect(`${wsUrl}/v1/live`, liveAuth);
    expect((await third.closed).code).toBe(1013);
    expect(third.messages).toEqual([
      expect.objectContaining({ type: 'error', code: 'QUEUE_FULL' }),
    ]);
    expect(engine.live.activeSessions).toBe(2);
    first.ws.terminate();
    second.ws.close();
    expect(await sessionsDrained()).toBe(0);
  }, 60_000);

  it('closes with 1008 for an unknown model, and answers a plain GET with 426', async () => {
    const socket = await connect(`${wsUrl}/v1/live?model=no-such-model`, liveAuth);
    expect((await socket.closed).code).toBe(1008);
    expect(socket.messages).toEqual([
      expect.objectContaining({ type: 'error', code: 'MODEL_UNKNOWN' }),
    ]);
    const plain = await fetch(`${server.url}/v1/live`, { headers: liveAuth });
    expect(plain.status).toBe(426);
    expect(plain.headers.get('upgrade')).toBe('websocket');
  });
});
