/**
 * A transcription asking an English-only model for another language (or a translation) is
 * refused when it is asked for, with the field and what it accepts — not accepted (202) and
 * failed later in the worker. The same rule holds on every door: POST /v1/jobs and the OpenAI
 * endpoint go through the engine's resolve.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorResponse } from '../../../contract/errors';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { speech } from '../../../engine/media/__fixtures__/media-fixtures';
import { ensureTestModel } from '../../../engine/whisper/test-model/make-test-model';
import { buildApp } from '../../app';

const work = mkdtempSync(join(tmpdir(), 'studio-english-only-'));
let engine: Engine;
let app: FastifyInstance;
let headers: Record<string, string>;
let mediaId: string;

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  app = await buildApp({ engine });
  headers = {
    authorization: `Bearer ${engine.tokens.createToken({ scopes: ['transcribe', 'read'] }).token}`,
  };
  // The synthetic model's header is an English-only one (n_vocab 51864).
  await engine.models.importFile((await ensureTestModel('tiny', 1)).path, { id: 'tiny-en' });
  mediaId = (await engine.media.add(speech.jfk)).id;
}, 60_000);
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const postJob = (params: object) =>
  app.inject({
    method: 'POST',
    url: '/v1/jobs',
    headers,
    payload: { kind: 'transcribe', mediaId, params },
  });

describe('an English-only model asked for another language', () => {
  it('the imported model is known to be English-only', () => {
    expect(engine.models.get('tiny-en')?.languages).toEqual(['en']);
  });

  it('POST /v1/jobs refuses "fr" with 400, the field and the accepted values', async () => {
    const response = await postJob({ modelId: 'tiny-en', language: 'fr' });
    expect(response.statusCode).toBe(400);
    const { error } = errorResponse.parse(response.json());
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('tiny-en');
    expect(error.message).toContain('English-only');
    expect(error.details).toMatchObject({ field: 'language', accepted: ['auto', 'en'] });
    expect((await engine.jobs.list({})).jobs).toHaveLength(0);
  });

  it('refuses a translation with 400', async () => {
    const response = await postJob({ modelId: 'tiny-en', language: 'auto', translate: true });
    expect(response.statusCode).toBe(400);
    expect(errorResponse.parse(response.json()).error.details).toMatchObject({
      field: 'translate',
    });
  });

  it('accepts en and auto', async () => {
    for (const language of ['en', 'auto']) {
      const response = await postJob({ modelId: 'tiny-en', language });
      expect(response.statusCode, response.body).toBe(202);
    }
  });

  // Last: listening makes app.inject's default host a foreign one.
  it('the OpenAI endpoint refuses it the same way', async () => {
    const form = new FormData();
    form.set('file', new Blob([readFileSync(speech.jfk)]), 'jfk.wav');
    form.set('model', 'tiny-en');
    form.set('language', 'fr');
    const response = await fetch(
      `${await app.listen({ port: 0, host: '127.0.0.1' })}/v1/audio/transcriptions`,
      {
        method: 'POST',
        headers,
        body: form,
      },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('English-only');
  });
});
