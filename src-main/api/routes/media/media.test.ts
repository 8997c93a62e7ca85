import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../../contract/jobs';
import type { MediaItem } from '../../../contract/media';
import type { Engine } from '../../../engine/create-engine';
import { createTestEngine } from '../../../engine/test-support/test-engine';
import { speech } from '../../../engine/whisper/__fixtures__/whisper-fixtures';
import { startServer, type RunningServer } from '../../server';

const work = mkdtempSync(join(tmpdir(), 'studio-media-routes-'));
const userFiles = join(work, 'user');
let engine: Engine;
let server: RunningServer;
let auth: Record<string, string>;
/** Deleting needs the admin scope. */
let admin: Record<string, string>;
let uploadsDir: string;

beforeAll(async () => {
  engine = await createTestEngine(join(work, 'data'));
  server = await startServer({ engine });
  const token = engine.tokens.createToken({ name: 'uploader', scopes: ['transcribe', 'read'] });
  auth = { authorization: `Bearer ${token.token}` };
  admin = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
  uploadsDir = engine.media.uploadsDir;
  mkdirSync(userFiles);
}, 120_000);
afterEach(() => {
  engine.settings.update({ mediaLimits: { maxBytes: 20 * 1024 ** 3, maxDurationSec: 12 * 3600 } });
});
afterAll(async () => {
  await server.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const uploads = () => (existsSync(uploadsDir) ? readdirSync(uploadsDir) : []);

/** Real HTTP, the way a browser or script uploads: fetch with FormData. */
function upload(content: Buffer, filename: string, headers = auth) {
  const form = new FormData();
  form.append('file', new Blob([content]), filename);
  return fetch(`${server.url}/v1/media`, { method: 'POST', body: form, headers });
}

const request = (method: string, url: string, init: RequestInit = {}) =>
  fetch(`${server.url}${url}`, {
    method,
    ...init,
    headers: { ...auth, ...(init.headers as Record<string, string>) },
  });

const remove = (id: string) =>
  fetch(`${server.url}/v1/media/${id}`, { method: 'DELETE', headers: admin });

const postPath = (path: unknown) =>
  request('POST', '/v1/media', {
    body: JSON.stringify({ path }),
    headers: { 'content-type': 'application/json' },
  });

async function expectServing() {
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
}

const boundary = 'media-test-boundary';
const multipart = (body: string) =>
  request('POST', '/v1/media', {
    body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });

describe('POST /v1/media with an upload', () => {
  it('streams the file into the uploads folder and adds it, ready for a job', async () => {
    const response = await upload(readFileSync(speech.jfk), 'jfk.wav');
    expect(response.status).toBe(201);
    const item = (await response.json()) as MediaItem;
    expect(item).toMatchObject({ name: 'jfk.wav', durationSec: 11, sampleRate: 16000 });
    expect(item.path.startsWith(join(uploadsDir, 'jfk-'))).toBe(true);
    expect(item.path.endsWith('.wav')).toBe(true);
    expect(readFileSync(item.path).equals(readFileSync(speech.jfk))).toBe(true);

    const submitted = await request('POST', '/v1/jobs', {
      body: JSON.stringify({
        kind: 'transcribe',
        mediaId: item.id,
        params: { modelId: 'tiny-random', language: 'en' },
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as JobView;
    let job: JobView;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await (await request('GET', `/v1/jobs/${id}`)).json()) as JobView;
    } while (job.state === 'queued' || job.state === 'running');
    expect(job.state).toBe('completed');
    const { transcriptId } = job.result as { transcriptId: string };
    expect((await request('GET', `/v1/transcripts/${transcriptId}`)).status).toBe(200);

    // Deleting the item deletes the uploaded file and the transcript with it.
    expect((await remove(item.id)).status).toBe(204);
    expect(existsSync(item.path)).toBe(false);
    expect(uploads()).toEqual([]);
    expect((await request('GET', `/v1/transcripts/${transcriptId}`)).status).toBe(404);
  }, 120_000);

  it('refuses a file over mediaLimits.maxBytes with 413, saying the limit and how to change it', async () => {
    engine.settings.update({ mediaLimits: { maxBytes: 50_000, maxDurationSec: 12 * 3600 } });
    const response = await upload(readFileSync(speech.jfk), 'jfk.wav');
    expect(response.status).toBe(413);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('MEDIA_TOO_LARGE');
    expect(error.message).toMatch(/upload limit of 50\.0 KB \(50000 bytes\)/);
    expect(error.message).toMatch(/PATCH \/v1\/settings \{"mediaLimits"/);
    expect(uploads()).toEqual([]);
    await expectServing();
  });

  it('refuses a truncated multipart body with 400 and keeps nothing', async () => {
    const cut =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="jfk.wav"\r\n\r\n` +
      'RIFF....WAVEfmt ';
    const response = await multipart(cut);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(uploads()).toEqual([]);
    await expectServing();
  });

  it('refuses a body without a file part with 400', async () => {
    const response = await multipart(
      `--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nx\r\n--${boundary}--\r\n`,
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /no part named "file"/,
    );
    await expectServing();
  });

  it('refuses a text file with 422 from the probe and deletes it', async () => {
    const response = await upload(Buffer.from('just some notes\n'), 'notes.txt');
    expect(response.status).toBe(422);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('MEDIA_UNREADABLE');
    // The file is named as the client sent it, not by the name it was stored under meanwhile.
    expect(error.message).toMatch(/"notes\.txt" is (a text file|not a media file)/);
    expect(JSON.stringify(error)).not.toMatch(/notes-[0-9a-f]{12}/);
    expect(uploads()).toEqual([]);
    await expectServing();
  });

  it('refuses another content type with 400', async () => {
    const response = await request('POST', '/v1/media', {
      body: 'jfk.wav',
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(400);
    expect(uploads()).toEqual([]);
    await expectServing();
  });

  it('needs the transcribe scope, checked before the body is read', async () => {
    const reader = engine.tokens.createToken({ name: 'reader', scopes: ['read'] });
    const response = await upload(readFileSync(speech.jfk), 'jfk.wav', {
      authorization: `Bearer ${reader.token}`,
    });
    expect(response.status).toBe(403);
    expect(uploads()).toEqual([]);
    await expectServing();
  });
});

describe('POST /v1/media with a path', () => {
  it('adds a file of the user and leaves it in place when the item is deleted', async () => {
    const mine = join(userFiles, 'interview.wav');
    copyFileSync(speech.jfk, mine);
    const response = await postPath(mine);
    expect(response.status).toBe(201);
    const item = (await response.json()) as MediaItem;
    expect(item).toMatchObject({ path: mine, name: 'interview.wav' });
    expect((await remove(item.id)).status).toBe(204);
    expect(existsSync(mine)).toBe(true);
  });

  it.each([
    ['a relative path', '../../etc/passwd', 400, 'INVALID_ARGUMENT', /absolute path/],
    ['a path to nothing', '/no/such/recording.wav', 404, 'MEDIA_NOT_FOUND', /No file exists/],
    ['a folder', tmpdir(), 422, 'MEDIA_UNREADABLE', /is a folder/],
    ['a text file', '/etc/passwd', 422, 'MEDIA_UNREADABLE', /text file|not a media file/],
    ['an empty path', '', 400, 'INVALID_ARGUMENT', /Invalid request/],
    ['no path at all', undefined, 400, 'INVALID_ARGUMENT', /Invalid request/],
  ])('refuses %s with a clear status', async (_, path, status, code, message) => {
    const response = await postPath(path);
    expect(response.status).toBe(status);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    await expectServing();
  });

  // The engine judges paths by its own platform's rules, before it touches the file system: a
  // path that only looks absolute elsewhere (a Windows drive on Linux), `..` and NUL are refused.
  const posixOnly = process.platform === 'win32' ? it.skip : it;
  posixOnly.each([
    ['a Windows drive path', 'C:/recordings/interview.wav', /absolute path/],
    ['a UNC path', '\\\\server\\share\\interview.wav', /absolute path/],
    // `C:` is a folder name on Linux: this climbs from the engine's working folder to a real file.
    [
      'a drive path that climbs out',
      `C:/../${relative(process.cwd(), speech.jfk)}`,
      /absolute path|\.\./,
    ],
  ])('refuses %s, which is not absolute on this engine, with 400', async (_, path, message) => {
    const response = await postPath(path);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(body.error.code).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toMatch(message);
  });

  it.each([
    ['a `..` segment', () => `${userFiles}/../user/interview.wav`, /\.\./],
    ['a `..` segment at the end', () => `${userFiles}/..`, /\.\./],
    ['a NUL byte', () => `${userFiles}/interview.wav\u0000.txt`, /NUL/],
  ])('refuses a path with %s with 400 before looking at the file', async (_, path, message) => {
    copyFileSync(speech.jfk, join(userFiles, 'interview.wav'));
    const response = await postPath(path());
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(body.error.code).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toMatch(message);
    await expectServing();
  });

  it('writes nothing to the uploads folder', async () => {
    const empty = join(userFiles, 'empty.wav');
    writeFileSync(empty, '');
    expect((await postPath(empty)).status).toBe(422);
    expect(uploads()).toEqual([]);
  });
});
