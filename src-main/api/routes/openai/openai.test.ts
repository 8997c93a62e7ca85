import { execFileSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenaiVerboseTranscription } from '../../../contract/openai';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { dataLayout } from '../../../engine/paths';
import { speech, testModels } from '../../../engine/whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../../../engine/whisper/test-model/make-test-model';
import { startServer, type RunningServer } from '../../server';
import { maxConcurrentTranscriptions } from '.';

const work = mkdtempSync(join(tmpdir(), 'studio-openai-'));
const jfkSec = 11;
let engine: Engine;
let server: RunningServer;
let token: string;
let client: OpenAI;
let tempDir: string;
/** jfk.wav 28 times over (5 min 8 s): many seconds of work for the test model, to cancel. */
let longWav: string;

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  await engine.models.importFile((await ensureTestModel('tiny', 1)).path, { id: 'tiny-random' });
  await engine.models.importFile((await ensureTestModel('tiny', 1, { english: false })).path, {
    id: 'tiny-multilingual',
  });
  await engine.models.importFile(testModels.sileroVad);
  // OpenAI's model names (whisper-1) mean this one.
  engine.settings.update({ defaultModel: 'tiny-random' });
  server = await startServer({ engine });
  token = engine.tokens.createToken({ name: 'openai', scopes: ['transcribe'] }).token;
  // The official client, unchanged but for where it sends requests and the key it sends.
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: token, maxRetries: 0 });
  tempDir = dataLayout(engine.dataDir).temp;
  longWav = join(work, 'long.wav');
  const { ffmpeg } = await engine.media.tools();
  execFileSync(ffmpeg, [
    '-v',
    'error',
    '-stream_loop',
    '27',
    '-i',
    speech.jfk,
    '-c',
    'copy',
    longWav,
  ]);
}, 120_000);
afterAll(async () => {
  await server.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const leftovers = () => (existsSync(tempDir) ? readdirSync(tempDir) : []);
const jfk = () => createReadStream(speech.jfk);

async function expectServing() {
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
}

interface Cue {
  start: number;
  end: number;
  text: string;
}

const toSec = (clock: string) => {
  const [h, m, s] = clock.replace(',', '.').split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
};

/** The cues of an SRT or WebVTT file, checking each cue's shape on the way. */
function parseCues(text: string, kind: 'srt' | 'vtt'): Cue[] {
  const blocks = text.trim().split(/\n\n+/);
  if (kind === 'vtt') expect(blocks.shift()).toBe('WEBVTT');
  return blocks.map((block, index) => {
    const lines = block.split('\n');
    if (kind === 'srt') expect(lines.shift()).toBe(String(index + 1));
    const timing =
      kind === 'srt'
        ? /^(\d\d:\d\d:\d\d,\d{3}) --> (\d\d:\d\d:\d\d,\d{3})$/.exec(lines[0]!)
        : /^(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})$/.exec(lines[0]!);
    expect(timing, `cue ${index + 1}: ${lines[0]}`).not.toBeNull();
    expect(lines.length).toBeGreaterThan(1);
    return { start: toSec(timing![1]!), end: toSec(timing![2]!), text: lines.slice(1).join(' ') };
  });
}

function expectOrderedWithin(cues: readonly { start: number; end: number }[], durationSec: number) {
  expect(cues.length).toBeGreaterThan(0);
  cues.forEach((cue, i) => {
    expect(cue.start).toBeGreaterThanOrEqual(0);
    expect(cue.end).toBeGreaterThanOrEqual(cue.start);
    expect(cue.end).toBeLessThanOrEqual(durationSec);
    if (i > 0) expect(cue.start).toBeGreaterThanOrEqual(cues[i - 1]!.start);
  });
}

describe('the OpenAI client against /v1/audio', () => {
  it('gets json: an object with the text', async () => {
    const result = await client.audio.transcriptions.create({ file: jfk(), model: 'whisper-1' });
    expect(Object.keys(result)).toEqual(['text']);
    expect(result.text.trim().length).toBeGreaterThan(0);
    expect(leftovers()).toEqual([]);
  }, 120_000);

  it('gets text: the plain transcript', async () => {
    const text = await client.audio.transcriptions.create({
      file: jfk(),
      model: 'tiny-random',
      response_format: 'text',
    });
    expect(typeof text).toBe('string');
    expect(text.trim().length).toBeGreaterThan(0);
    expect(text).not.toMatch(/-->|^\s*\{/);
  }, 60_000);

  it.each(['srt', 'vtt'] as const)(
    'gets %s: cues with increasing timestamps inside the audio',
    async (format) => {
      const captions = await client.audio.transcriptions.create({
        file: jfk(),
        model: 'whisper-1',
        response_format: format,
        language: 'en',
      });
      expect(typeof captions).toBe('string');
      expectOrderedWithin(parseCues(captions, format), jfkSec);
    },
    60_000,
  );

  it('gets verbose_json with segments and words when both are asked for', async () => {
    const result = (await client.audio.transcriptions.create({
      file: jfk(),
      model: 'whisper-1',
      response_format: 'verbose_json',
      timestamp_granularities: ['word', 'segment'],
      temperature: 0,
      prompt: 'President Kennedy.',
    })) as unknown as OpenaiVerboseTranscription;
    expect(result).toMatchObject({ task: 'transcribe', duration: jfkSec });
    expect(typeof result.language).toBe('string');
    expect(result.text.trim().length).toBeGreaterThan(0);
    const segments = result.segments!;
    expectOrderedWithin(segments, jfkSec);
    segments.forEach((segment, index) => {
      expect(segment).toMatchObject({ id: index, temperature: 0 });
      expect(segment.tokens.length).toBeGreaterThan(0);
      expect(segment.avg_logprob).toBeLessThanOrEqual(0);
      expect(segment.no_speech_prob).toBeGreaterThanOrEqual(0);
      expect(segment.compression_ratio).toBeGreaterThan(0);
      expect(segment.seek).toBe(Math.floor(segment.start * 100));
    });
    const words = result.words!;
    expectOrderedWithin(words, jfkSec);
    expect(words.map((w) => w.word).join(' ')).toBe(result.text);
  }, 60_000);

  it('gives verbose_json words only when they are asked for', async () => {
    const plain = (await client.audio.transcriptions.create({
      file: jfk(),
      model: 'whisper-1',
      response_format: 'verbose_json',
    })) as unknown as OpenaiVerboseTranscription;
    expect(plain.segments!.length).toBeGreaterThan(0);
    expect(plain).not.toHaveProperty('words');
    const wordsOnly = (await client.audio.transcriptions.create({
      file: jfk(),
      model: 'whisper-1',
      response_format: 'verbose_json',
      timestamp_granularities: ['word'],
    })) as unknown as OpenaiVerboseTranscription;
    expect(wordsOnly.words!.length).toBeGreaterThan(0);
    expect(wordsOnly).not.toHaveProperty('segments');
  }, 60_000);

  it('translates with a multilingual model, reporting the translate task', async () => {
    const result = (await client.audio.translations.create({
      file: jfk(),
      model: 'tiny-multilingual',
      response_format: 'verbose_json',
    })) as unknown as OpenaiVerboseTranscription;
    expect(result).toMatchObject({ task: 'translate', duration: jfkSec });
    expectOrderedWithin(result.segments!, jfkSec);
    // The default model is English-only, which cannot translate: the client is told so.
    await expect(
      client.audio.translations.create({ file: jfk(), model: 'whisper-1' }),
    ).rejects.toMatchObject({ status: 400, message: /English-only/ });
    expect(leftovers()).toEqual([]);
  }, 120_000);

  it('shows our error messages through the client and keeps no temporary file', async () => {
    const unknown = client.audio.transcriptions.create({ file: jfk(), model: 'parakeet' });
    await expect(unknown).rejects.toMatchObject({
      status: 404,
      code: 'MODEL_UNKNOWN',
      message: expect.stringMatching(/no model "parakeet".*GET \/v1\/models/),
    });
    const granular = client.audio.transcriptions.create({
      file: jfk(),
      model: 'whisper-1',
      timestamp_granularities: ['word'],
    });
    await expect(granular).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/verbose_json/),
    });
    const hot = client.audio.transcriptions.create({
      file: jfk(),
      model: 'whisper-1',
      temperature: 3,
    });
    await expect(hot).rejects.toMatchObject({ status: 400, message: /temperature/ });
    const notMedia = client.audio.transcriptions.create({
      file: await OpenAI.toFile(Buffer.from('no sound here\n'), 'notes.txt'),
      model: 'whisper-1',
    });
    await expect(notMedia).rejects.toMatchObject({ status: 422 });
    expect(leftovers()).toEqual([]);
    await expectServing();
  });

  it('refuses a token without the transcribe scope', async () => {
    const reader = engine.tokens.createToken({ name: 'reader', scopes: ['read'] });
    const readOnly = new OpenAI({
      baseURL: `${server.url}/v1`,
      apiKey: reader.token,
      maxRetries: 0,
    });
    await expect(
      readOnly.audio.transcriptions.create({ file: jfk(), model: 'whisper-1' }),
    ).rejects.toMatchObject({ status: 403 });
    await expectServing();
  });
});

describe('the API description', () => {
  it('stays valid OpenAPI 3.1 and documents the multipart bodies', async () => {
    const spec = server.app.swagger();
    const result = await new Validator().validate(spec as Parameters<Validator['validate']>[0]);
    const document = spec as unknown as OpenApiDocument;
    expect(result.errors ?? []).toEqual([]);
    const form = document.paths['/v1/audio/transcriptions']!.post.requestBody.content;
    expect(Object.keys(form)).toEqual(['multipart/form-data']);
    expect(form['multipart/form-data']!.schema.properties).toMatchObject({
      file: { type: 'string', format: 'binary' },
      response_format: { enum: ['json', 'text', 'srt', 'vtt', 'verbose_json'] },
    });
    expect(document.paths['/v1/audio/translations']).toBeDefined();
    const media = document.paths['/v1/media']!.post.requestBody.content;
    expect(Object.keys(media).sort()).toEqual(['application/json', 'multipart/form-data']);
  });
});

describe('limits and clean-up of /v1/audio/transcriptions', () => {
  const post = (file: Buffer, fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.append('file', new Blob([file]), 'jfk.wav');
    form.append('model', 'whisper-1');
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return fetch(`${server.url}/v1/audio/transcriptions`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
  };

  it(`transcribes ${maxConcurrentTranscriptions} requests at once and tells the next to retry`, async () => {
    const audio = readFileSync(speech.jfk);
    const responses = await Promise.all(
      Array.from({ length: maxConcurrentTranscriptions + 1 }, () => post(audio)),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array<number>(maxConcurrentTranscriptions).fill(200), 429]);
    const refused = responses.find((r) => r.status === 429)!;
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('QUEUE_FULL');
    expect(leftovers()).toEqual([]);
  }, 180_000);

  it('refuses a file over the size limit with 413 and keeps nothing', async () => {
    engine.settings.update({ mediaLimits: { maxBytes: 100_000, maxDurationSec: 12 * 3600 } });
    try {
      const response = await post(readFileSync(speech.jfk));
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
        /upload limit of 100\.0 KB.*mediaLimits/,
      );
    } finally {
      engine.settings.update({
        mediaLimits: { maxBytes: 20 * 1024 ** 3, maxDurationSec: 12 * 3600 },
      });
    }
    expect(leftovers()).toEqual([]);
    await expectServing();
  });

  it('refuses a JSON body with 400', async () => {
    const response = await fetch(`${server.url}/v1/audio/transcriptions`, {
      method: 'POST',
      body: JSON.stringify({ file: 'jfk.wav', model: 'whisper-1' }),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /multipart\/form-data/,
    );
  });

  it('removes the partial upload when the client disconnects mid-upload', async () => {
    const boundary = 'cut-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="jfk.wav"\r\n\r\n`,
    );
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /v1/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
        `Authorization: Bearer ${token}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Content-Length: 10000000\r\n\r\n`,
    );
    socket.write(Buffer.concat([head, readFileSync(speech.jfk)]));
    await until(() => leftovers().length === 1);
    socket.destroy();
    await until(() => leftovers().length === 0);
    await expectServing();
  });

  it('cancels the transcription and removes the file when the client goes away', async () => {
    // node:http rather than fetch, to hang up exactly when wanted and leave no other socket.
    const boundary = 'gone-boundary';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="long.wav"\r\n\r\n`,
      ),
      readFileSync(longWav),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const call = httpRequest({
      host: '127.0.0.1',
      port: server.port,
      method: 'POST',
      path: '/v1/audio/transcriptions',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': body.length,
      },
    });
    const outcome = new Promise((resolve) => {
      call.on('response', (response) => resolve(response.statusCode));
      call.on('error', (error) => resolve(error.message));
    });
    call.end(body);
    await until(() => engine.whisper.status().running > 0);
    const hungUpAt = Date.now();
    call.destroy();
    expect(await outcome).toMatch(/socket hang up/);
    await until(() => engine.tasks.active === 0 && engine.whisper.status().running === 0);
    // Five minutes of audio take far longer than this: the work was stopped, not finished.
    expect(Date.now() - hungUpAt).toBeLessThan(3000);
    // The route removes the upload as it unwinds, just after the work stops.
    await until(() => leftovers().length === 0, 3000);
    await expectServing();
  }, 60_000);
});

interface OpenApiDocument {
  paths: Record<
    string,
    {
      post: {
        requestBody: {
          content: Record<string, { schema: { properties?: Record<string, unknown> } }>;
        };
      };
    }
  >;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
