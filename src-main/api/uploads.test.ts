import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isEngineError } from '../engine/errors';
import { httpStatusByCode } from './error-status';
import { receiveUpload, uploadRouteValidator } from './uploads';

const work = mkdtempSync(join(tmpdir(), 'studio-uploads-'));
const dir = join(work, 'uploads');
const maxBytes = 1000;
let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The same outer bounds as the real app.
  await app.register(fastifyMultipart, { limits: { fields: 20, files: 1, fieldSize: 64 * 1024 } });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (isEngineError(error)) {
      return reply.status(httpStatusByCode[error.code]).send({
        error: { code: error.code, message: error.message },
      });
    }
    return reply.status(error.statusCode ?? 500).send({ error: { message: error.message } });
  });
  app.post('/upload', async (request) => {
    const upload = await receiveUpload(request, {
      dir,
      maxBytes,
      raiseLimitHint: 'raise uploadLimit',
    });
    return { ...upload, storedAs: basename(upload.path), folder: dirname(upload.path) };
  });
  app.post(
    '/either',
    {
      validatorCompiler: uploadRouteValidator(z.object({ path: z.string() })),
      // Only describes the request; JSON bodies are checked against the schema given above.
      schema: { body: z.object({ file: z.string() }) },
    },
    (request) => ({ multipart: request.isMultipart(), body: request.body ?? null }),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
afterAll(async () => {
  await app.close();
  rmSync(work, { recursive: true, force: true });
});

const boundary = 'studio-test-boundary';
const multipartHeaders = { 'content-type': `multipart/form-data; boundary=${boundary}` };

/** A multipart body by hand, so that it can also be cut short or malformed. */
function part(name: string, content: string | Buffer, filename?: string): Buffer {
  const disposition = `form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}`;
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`),
    Buffer.from(content),
    Buffer.from('\r\n'),
  ]);
}
const end = Buffer.from(`--${boundary}--\r\n`);

const send = (payload: Buffer) =>
  app.inject({ method: 'POST', url: '/upload', headers: multipartHeaders, payload });

const leftovers = () => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

describe('receiveUpload', () => {
  it('streams the file part to a unique file keeping its extension and collects the fields', async () => {
    const content = Buffer.from(Array.from({ length: 700 }, (_, i) => i % 256));
    const payload = Buffer.concat([
      part('model', 'whisper-1'),
      part('file', content, 'C:\\Users\\me\\My talk.WAV'),
      part('timestamp_granularities[]', 'word'),
      part('timestamp_granularities[]', 'segment'),
      end,
    ]);
    const first = await send(payload);
    const second = await send(payload);
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body).toMatchObject({
      filename: 'My talk.WAV',
      sizeBytes: 700,
      folder: dir,
      fields: { model: ['whisper-1'], 'timestamp_granularities[]': ['word', 'segment'] },
    });
    expect(body.storedAs).toMatch(/^My_talk-[0-9a-f]{12}\.wav$/);
    expect(readFileSync(body.path).equals(content)).toBe(true);
    expect(second.json().storedAs).not.toBe(body.storedAs);
    expect(leftovers()).toHaveLength(2);
  });

  it('keeps a file name that tries to climb out of the folder inside it', async () => {
    const response = await send(Buffer.concat([part('file', 'abc', '../../../etc/x.wav'), end]));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ filename: 'x.wav', folder: dir });
  });

  it('refuses a file over the limit with 413 naming the limit and how to raise it, keeping nothing', async () => {
    const response = await send(Buffer.concat([part('file', Buffer.alloc(5000), 'big.wav'), end]));
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({ code: 'MEDIA_TOO_LARGE' });
    expect(response.json().error.message).toMatch(
      /"big\.wav" is larger than the upload limit of 1\.0 KB \(1000 bytes\)/,
    );
    expect(response.json().error.message).toMatch(/raise uploadLimit/);
    expect(leftovers()).toEqual([]);
  });

  it('accepts a file of exactly the limit', async () => {
    const response = await send(
      Buffer.concat([part('file', Buffer.alloc(maxBytes), 'a.wav'), end]),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().sizeBytes).toBe(maxBytes);
  });

  it.each([
    [
      'a body cut off inside the file part',
      Buffer.concat([part('file', 'abc', 'a.wav')]).subarray(0, -4),
    ],
    ['a body without the closing boundary', part('file', 'abcdef', 'a.wav')],
    ['no file part', Buffer.concat([part('model', 'whisper-1'), end])],
    ['an empty body', Buffer.alloc(0)],
    ['a file part with another name', Buffer.concat([part('upload', 'abc', 'a.wav'), end])],
    ['two files', Buffer.concat([part('file', 'abc', 'a.wav'), part('file', 'def', 'b.wav'), end])],
    ['a header without a blank line', Buffer.from(`--${boundary}\r\nContent-Disposition: x`)],
  ])('answers %s with 400 and leaves no file behind', async (_, payload) => {
    const response = await send(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_ARGUMENT');
    expect(response.json().error.message).toMatch(/"file"/);
    expect(leftovers()).toEqual([]);
  });

  it('refuses a request that is not multipart', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/upload',
      payload: { path: '/x.wav' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/multipart\/form-data.*application\/json/);
  });
});

describe('uploadRouteValidator', () => {
  it('lets a multipart body through to the handler and checks a JSON body against its schema', async () => {
    const multipart = await app.inject({
      method: 'POST',
      url: '/either',
      headers: multipartHeaders,
      payload: Buffer.concat([part('file', 'abc', 'a.wav'), end]),
    });
    expect(multipart.json()).toEqual({ multipart: true, body: null });
    const json = await app.inject({ method: 'POST', url: '/either', payload: { path: '/a.wav' } });
    expect(json.json()).toEqual({ multipart: false, body: { path: '/a.wav' } });
    const wrong = await app.inject({ method: 'POST', url: '/either', payload: { file: 'x' } });
    expect(wrong.statusCode).toBe(400);
  });
});
