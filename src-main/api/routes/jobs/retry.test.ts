import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../../contract/jobs';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { speech } from '../../../engine/media/__fixtures__/media-fixtures';
import { ensureTestModel } from '../../../engine/whisper/test-model/make-test-model';
import { buildApp } from '../../app';

const work = mkdtempSync(join(tmpdir(), 'studio-retry-'));
let engine: Engine;
let app: FastifyInstance;
let transcriber: Record<string, string>;

// The job runner is not started, so a submitted job stays queued until cancelled.
beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  // A transcription is refused at submit unless its model is installed.
  await engine.models.importFile((await ensureTestModel('tiny', 1)).path, { id: 'tiny-random' });
  app = await buildApp({ engine });
  transcriber = {
    authorization: `Bearer ${engine.tokens.createToken({ scopes: ['transcribe', 'read'] }).token}`,
  };
}, 60_000);
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, headers: transcriber, ...(payload && { payload }) });

async function submit(path: string): Promise<JobView> {
  const media = await engine.media.add(path);
  const response = await call('POST', '/v1/jobs', {
    kind: 'transcribe',
    mediaId: media.id,
    params: { modelId: 'tiny-random', language: 'en' },
  });
  expect(response.statusCode).toBe(202);
  return response.json() as JobView;
}

describe('POST /v1/jobs/:id/retry', () => {
  it('refuses a job that is still queued, then runs a finished one again as a new job', async () => {
    const job = await submit(speech.jfk);
    const early = await call('POST', `/v1/jobs/${job.id}/retry`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/still queued/),
    });

    expect((await call('DELETE', `/v1/jobs/${job.id}`)).json()).toMatchObject({
      state: 'cancelled',
    });
    const retried = await call('POST', `/v1/jobs/${job.id}/retry`);
    expect(retried.statusCode).toBe(202);
    const again = retried.json() as JobView;
    expect(again.id).not.toBe(job.id);
    expect(again).toMatchObject({
      kind: 'transcribe',
      state: 'queued',
      lane: 'batch',
      mediaId: job.mediaId,
      params: job.params,
      attempts: 0,
    });
    // The old job stays as it was; both are listed.
    expect((await call('GET', `/v1/jobs/${job.id}`)).json()).toMatchObject({ state: 'cancelled' });
    const ids = ((await call('GET', '/v1/jobs')).json().jobs as JobView[]).map((j) => j.id);
    expect(ids).toEqual(expect.arrayContaining([job.id, again.id]));
    await call('DELETE', `/v1/jobs/${again.id}`);
  });

  it('answers 404 for an unknown job and for one whose media was removed', async () => {
    expect((await call('POST', '/v1/jobs/nope/retry')).statusCode).toBe(404);
    const copy = join(work, 'gone.wav');
    copyFileSync(speech.jfk, copy);
    const job = await submit(copy);
    await call('DELETE', `/v1/jobs/${job.id}`);
    await engine.media.remove(job.mediaId!);
    const response = await call('POST', `/v1/jobs/${job.id}/retry`);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toMatch(/removed from the library/);
  });

  it('needs the transcribe scope', async () => {
    const reader = engine.tokens.createToken({ scopes: ['read'] }).token;
    const response = await app.inject({
      method: 'POST',
      url: '/v1/jobs/any/retry',
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(response.statusCode).toBe(403);
  });
});
