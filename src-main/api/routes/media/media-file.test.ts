import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../../../contract/errors';
import type { MediaItem, MediaPeaks, MediaStreamUrl } from '../../../contract/media';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { speech } from '../../../engine/media/__fixtures__/media-fixtures';
import { startServer, type RunningServer } from '../../server';

const work = mkdtempSync(join(tmpdir(), 'studio-media-file-'));
let engine: Engine;
let server: RunningServer;
let reader: Record<string, string>;
let wav: MediaItem;
let mp3: MediaItem;
const wavBytes = readFileSync(speech.jfk);

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  server = await startServer({ engine });
  reader = { authorization: `Bearer ${engine.tokens.createToken({ scopes: ['read'] }).token}` };
  const admin = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
  const add = async (path: string) =>
    (await (
      await fetch(`${server.url}/v1/media`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({ path }),
      })
    ).json()) as MediaItem;
  wav = await add(speech.jfk);
  mp3 = await add(speech.french);
}, 60_000);
afterAll(async () => {
  await server.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = reader) =>
  fetch(`${server.url}${url}`, { headers });

describe('GET /v1/media/:id/file', () => {
  it('streams the whole file with its media type and advertises ranges', async () => {
    const response = await get(`/v1/media/${wav.id}/file`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-length')).toBe(String(wavBytes.length));
    expect(Buffer.from(await response.arrayBuffer()).equals(wavBytes)).toBe(true);

    const french = await get(`/v1/media/${mp3.id}/file`);
    expect(french.headers.get('content-type')).toBe('audio/mpeg');
    await french.body?.cancel();
  });

  it.each([
    ['bytes=100-199', 100, 199],
    ['bytes=1000-', 1000, wavBytes.length - 1],
    ['bytes=-500', wavBytes.length - 500, wavBytes.length - 1],
    [`bytes=0-${wavBytes.length + 999}`, 0, wavBytes.length - 1],
  ])('answers Range %s with 206 and exactly those bytes', async (range, start, end) => {
    const response = await get(`/v1/media/${wav.id}/file`, { ...reader, range });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${wavBytes.length}`);
    expect(response.headers.get('content-length')).toBe(String(end - start + 1));
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(wavBytes.subarray(start, end + 1))).toBe(true);
  });

  it('answers a range past the end with 416 and the size, and ignores multi-ranges', async () => {
    const past = await get(`/v1/media/${wav.id}/file`, {
      ...reader,
      range: `bytes=${wavBytes.length}-`,
    });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${wavBytes.length}`);
    expect(((await past.json()) as ErrorResponse).error.message).toMatch(/outside the file/);
    const multi = await get(`/v1/media/${wav.id}/file`, { ...reader, range: 'bytes=0-1,5-6' });
    expect(multi.status).toBe(200);
    expect((await multi.arrayBuffer()).byteLength).toBe(wavBytes.length);
  });

  it('answers HEAD with the headers only', async () => {
    const response = await fetch(`${server.url}/v1/media/${wav.id}/file`, {
      method: 'HEAD',
      headers: reader,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(wavBytes.length));
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it('needs a token, and says so for an unknown item or a file that is gone', async () => {
    expect((await get(`/v1/media/${wav.id}/file`, {})).status).toBe(401);
    const unknown = await get('/v1/media/nope/file');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorResponse).error.code).toBe('NOT_FOUND');

    const copy = join(work, 'moved.wav');
    copyFileSync(speech.jfk, copy);
    const added = await fetch(`${server.url}/v1/media`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ path: copy }),
    });
    const item = (await added.json()) as MediaItem;
    renameSync(copy, `${copy}.away`);
    const gone = await get(`/v1/media/${item.id}/file`);
    expect(gone.status).toBe(404);
    const { error } = (await gone.json()) as ErrorResponse;
    expect(error.code).toBe('MEDIA_NOT_FOUND');
    expect(error.message).toContain(copy);
    expect(error.message).toMatch(/no longer at/);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('POST /v1/media/:id/stream-url', () => {
  const streamUrl = async (id: string) => {
    const response = await fetch(`${server.url}/v1/media/${id}/stream-url`, {
      method: 'POST',
      headers: reader,
    });
    return { status: response.status, body: (await response.json()) as MediaStreamUrl };
  };

  it('gives a read token a URL that streams (with ranges) without any token for 6 hours', async () => {
    const { status, body } = await streamUrl(wav.id);
    expect(status).toBe(201);
    expect(body.url).toMatch(
      new RegExp(`^/v1/media/${wav.id}/file\\?exp=\\d+&tid=[\\w-]+&sig=[\\w-]+$`),
    );
    const hours = (Date.parse(body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(5.9);
    expect(hours).toBeLessThanOrEqual(6);

    const whole = await get(body.url, {});
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(wavBytes)).toBe(true);
    const part = await get(body.url, { range: 'bytes=44-99' });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(wavBytes.subarray(44, 100))).toBe(true);
  });

  it('refuses a tampered, expired or moved signature, and other routes, with 401', async () => {
    const { body } = await streamUrl(wav.id);
    const query = body.url.slice(body.url.indexOf('?'));
    const sig = new URL(body.url, server.url).searchParams.get('sig')!;
    const exp = Number(new URL(body.url, server.url).searchParams.get('exp'));
    for (const url of [
      body.url.replace(sig, sig.slice(1)),
      body.url.replace(`exp=${exp}`, `exp=${exp + 1}`),
      // Already expired: a past expiry with a signature made for another expiry.
      body.url.replace(`exp=${exp}`, `exp=${Math.floor(Date.now() / 1000) - 1}`),
      `/v1/media/${mp3.id}/file${query}`,
      `/v1/media/${wav.id}/peaks${query}`,
      `/v1/media/${wav.id}${query}`,
      `/v1/media${query}`,
    ]) {
      const response = await get(url, {});
      expect(response.status, url).toBe(401);
      expect(((await response.json()) as ErrorResponse).error.code).toBe('UNAUTHORIZED');
    }
    expect((await streamUrl('nope')).status).toBe(404);
  });
});

describe('GET /v1/media/:id/peaks', () => {
  it('returns 100 signed peaks per second of audio, the same from the cache', async () => {
    const response = await get(`/v1/media/${wav.id}/peaks`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as MediaPeaks;
    expect(body.peaksPerSecond).toBe(100);
    expect(body.durationSec).toBeCloseTo(11, 0);
    expect(body.peaks.length).toBe(Math.ceil(body.durationSec * 100));
    expect(body.peaks.every((p) => p >= -1 && p <= 1)).toBe(true);
    // Speech: loud somewhere, and both signs occur (the sign of the loudest sample is kept).
    expect(Math.max(...body.peaks.map(Math.abs))).toBeGreaterThan(0.3);
    expect(body.peaks.some((p) => p < 0) && body.peaks.some((p) => p > 0)).toBe(true);
    const again = (await (await get(`/v1/media/${wav.id}/peaks`)).json()) as MediaPeaks;
    expect(again).toEqual(body);
    expect((await get('/v1/media/nope/peaks')).status).toBe(404);
  });
});
