/**
 * A transcription naming a model that is not installed is refused when it is asked for (409 with
 * the model id and, in HTTP words, how to get it), not accepted and failed later — on every door:
 * POST /v1/jobs, the OpenAI-compatible endpoint, and the engine's submit the CLI uses.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorText } from '../../../common/remedies';
import { errorResponse } from '../../../contract/errors';
import { jobView } from '../../../contract/jobs';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { isEngineError } from '../../../engine/errors';
import { speech } from '../../../engine/media/__fixtures__/media-fixtures';
import { jobFinished } from '../../../engine/test-support/job-finished';
import { buildApp } from '../../app';

const work = mkdtempSync(join(tmpdir(), 'studio-missing-model-'));
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

const errorOf = (body: unknown) => errorResponse.parse(body).error;

/** The refusal names no command or place of another face (the CLI's, the app's). */
function expectHttpWords(text: string) {
  expect(text).not.toMatch(/npm run|npx studio|`studio |Open Models|under Models/);
}

describe('a transcription naming a model that is not installed', () => {
  it('POST /v1/jobs refuses it with 409, the model id and the request that downloads it', async () => {
    const response = await postJob({ modelId: 'whisper-base.en', language: 'en' });
    expect(response.statusCode).toBe(409);
    const error = errorOf(response.json());
    expect(error.code).toBe('MODEL_NOT_READY');
    // `message` reads whole for a client that shows nothing else; `remedy` is its last part.
    expect(error.message).toBe(`Model "whisper-base.en" is not installed. ${error.remedy}`);
    expect(error.details).toMatchObject({ modelId: 'whisper-base.en', fix: 'download-model' });
    expect(error.remedy).toContain('POST /v1/models/whisper-base.en/download');
    expect(error.remedy).toContain('POST /v1/models/import');
    expectHttpWords(`${error.message} ${error.remedy}`);
    // Nothing was queued.
    expect(engine.jobs.list({}).jobs).toHaveLength(0);
  });

  it('POST /v1/jobs with no model named and none installed says which one to download', async () => {
    const response = await postJob({});
    expect(response.statusCode).toBe(409);
    const error = errorOf(response.json());
    expect(error.code).toBe('MODEL_NOT_READY');
    expect(error.details).toMatchObject({ fix: 'install-whisper-model' });
    const recommended = engine.models.list().find((m) => m.kind === 'whisper' && m.recommended);
    expect(error.remedy).toContain(`POST /v1/models/${recommended?.id}/download`);
    expectHttpWords(`${error.message} ${error.remedy}`);
  });

  it('an unknown model id is a 404 that says where the models are listed', async () => {
    const response = await postJob({ modelId: 'no-such-model' });
    expect(response.statusCode).toBe(404);
    const error = errorOf(response.json());
    expect(error.code).toBe('MODEL_UNKNOWN');
    expect(error.message).toBe('There is no model "no-such-model". GET /v1/models lists them.');
    expect(error.remedy).toBe('GET /v1/models lists them.');
    expectHttpWords(`${error.message} ${error.remedy}`);
  });

  it('the OpenAI endpoint refuses it the same way', async () => {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(speech.jfk)]), 'jfk.wav');
    form.append('model', 'whisper-base.en');
    const request = new Request('http://localhost/v1/audio/transcriptions', {
      method: 'POST',
      body: form,
    });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/audio/transcriptions',
      headers: { ...headers, 'content-type': request.headers.get('content-type') ?? '' },
      payload: Buffer.from(await request.arrayBuffer()),
    });
    expect(response.statusCode).toBe(409);
    const error = errorOf(response.json());
    expect(error.code).toBe('MODEL_NOT_READY');
    expect(error.details).toMatchObject({ modelId: 'whisper-base.en' });
    expect(error.remedy).toContain('POST /v1/models/whisper-base.en/download');
  });

  it('an unknown model id says where they are listed once, in the remedy', async () => {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(speech.jfk)]), 'jfk.wav');
    form.append('model', 'no-such-model');
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    const answers = [
      await app.inject({ method: 'GET', url: '/v1/models/no-such-model', headers }),
      await app.inject({
        method: 'POST',
        url: '/v1/audio/transcriptions',
        headers: { ...headers, 'content-type': request.headers.get('content-type') ?? '' },
        payload: Buffer.from(await request.arrayBuffer()),
      }),
    ];
    for (const response of answers) {
      expect(response.statusCode).toBe(404);
      const error = errorOf(response.json());
      expect(error.message).toMatch(
        /^There is no model "no-such-model"\. .*GET \/v1\/models lists them\.$/,
      );
      expect(error.message.match(/\/v1\/models/g)).toHaveLength(1);
      expect(error.remedy).toBe('GET /v1/models lists them.');
    }
  });

  it('engine.transcriptions.submit (what the CLI and the app use) refuses it too', () => {
    let refused: unknown;
    try {
      engine.transcriptions.submit({ mediaId, params: { modelId: 'whisper-base.en' } });
    } catch (error) {
      refused = error;
    }
    expect(isEngineError(refused, 'MODEL_NOT_READY')).toBe(true);
    expect(engine.jobs.list({}).jobs).toHaveLength(0);
  });

  it('a job that finds its model gone when it runs keeps what the remedy needs', async () => {
    // Straight to the runner (as a job queued before the model was deleted would be).
    await engine.jobs.start();
    const job = engine.jobs.submit({
      kind: 'transcribe',
      mediaId,
      params: { modelId: 'whisper-base.en', language: 'en' },
    });
    expect((await jobFinished(engine, job.id)).state).toBe('failed');
    const response = await app.inject({ method: 'GET', url: `/v1/jobs/${job.id}`, headers });
    const failed = jobView.parse(response.json());
    expect(failed.error).toEqual({
      code: 'MODEL_NOT_READY',
      message: 'Model "whisper-base.en" is not installed.',
      details: { modelId: 'whisper-base.en', fix: 'download-model' },
    });
    // What each face then says.
    expect(failed.error && errorText(failed.error, 'ui')).toBe(
      'Model "whisper-base.en" is not installed. Open Models and download "whisper-base.en", or import its file there.',
    );
  });
});
