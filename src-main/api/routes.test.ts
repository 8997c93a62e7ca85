import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../contract/jobs';
import type { TranscriptView } from '../contract/transcripts';
import type { Engine } from '../engine/create-engine';
import { createTestEngine } from '../engine/test-support/test-engine';
import { speech } from '../engine/whisper/__fixtures__/whisper-fixtures';
import { buildApp } from './app';

const work = mkdtempSync(join(tmpdir(), 'studio-routes-'));
let engine: Engine;
let app: FastifyInstance;
let auth: Record<string, string>;

beforeAll(async () => {
  engine = await createTestEngine(join(work, 'data'));
  app = await buildApp({ engine });
  auth = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
}, 120_000);
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const json = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  app.inject({
    method,
    url,
    headers: auth,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function until(url: string, done: (job: JobView) => boolean): Promise<JobView> {
  for (;;) {
    const job = (await json('GET', url)).json() as JobView;
    if (done(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('media, jobs and transcripts over HTTP', () => {
  it('adds media, transcribes it, serves the result in every format and takes a versioned edit', async () => {
    const added = await json('POST', '/v1/media', { path: speech.jfk });
    expect(added.statusCode).toBe(201);
    const media = added.json() as { id: string; name: string };
    expect(media.name).toBe('jfk.wav');
    expect(
      (await json('GET', '/v1/media')).json().media.map((m: { id: string }) => m.id),
    ).toContain(media.id);
    expect((await json('GET', `/v1/media/${media.id}`)).json()).toMatchObject({
      id: media.id,
      sampleRate: 16000,
    });

    const submitted = await json('POST', '/v1/jobs', {
      kind: 'transcribe',
      mediaId: media.id,
      params: { modelId: 'tiny-random', language: 'en' },
    });
    expect(submitted.statusCode).toBe(202);
    const queued = submitted.json() as JobView;
    expect(queued).toMatchObject({
      kind: 'transcribe',
      state: expect.stringMatching(/queued|running/),
    });
    const job = await until(
      `/v1/jobs/${queued.id}`,
      (j) => j.state === 'completed' || j.state === 'failed',
    );
    expect(job).toMatchObject({ state: 'completed', percent: 100 });
    expect((await json('GET', '/v1/jobs')).json().jobs.some((j: JobView) => j.id === job.id)).toBe(
      true,
    );

    const srt = await json('GET', `/v1/jobs/${job.id}/result?format=srt`);
    expect(srt.statusCode).toBe(200);
    expect(srt.headers['content-disposition']).toBe('attachment; filename="jfk.srt"');
    expect(srt.body).toMatch(/^1\r?\n00:00:\d\d,\d{3} --> /);
    expect((await json('GET', `/v1/jobs/${job.id}/result?format=vtt`)).body).toMatch(/^WEBVTT/);
    const docx = await json('GET', `/v1/jobs/${job.id}/result?format=docx`);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await json('GET', `/v1/jobs/${job.id}/result?format=pdf`)).statusCode).toBe(400);

    const { transcriptId } = job.result as { transcriptId: string };
    const transcript = (
      await json('GET', `/v1/transcripts/${transcriptId}`)
    ).json() as TranscriptView;
    const edited = structuredClone(transcript.document);
    edited.segments[0]!.lines[0]!.words[0]!.text = 'Edited';
    const saved = await json('PATCH', `/v1/transcripts/${transcriptId}`, {
      version: transcript.version,
      document: edited,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ version: transcript.version + 1 });
    const stale = await json('PATCH', `/v1/transcripts/${transcriptId}`, {
      version: transcript.version,
      document: transcript.document,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toMatch(/changed elsewhere/);
    expect(
      (await json('GET', `/v1/transcripts/${transcriptId}`)).json().document.segments[0].lines[0]
        .words[0].text,
    ).toBe('Edited');

    const cancelDone = await json('DELETE', `/v1/jobs/${job.id}`);
    expect(cancelDone.statusCode).toBe(409);
    expect(cancelDone.json().error.message).toMatch(
      /already completed; there is nothing to cancel/,
    );

    expect((await json('DELETE', `/v1/media/${media.id}`)).statusCode).toBe(204);
    expect((await json('GET', `/v1/media/${media.id}`)).statusCode).toBe(404);
    expect((await json('GET', `/v1/transcripts/${transcriptId}`)).statusCode).toBe(404);
  }, 180_000);

  it.each([
    ['a relative path', { path: '../../etc/no-such-file.wav' }, 400, 'INVALID_ARGUMENT'],
    ['a path to no file', { path: '/no/such/file.wav' }, 404, 'MEDIA_NOT_FOUND'],
    ['a folder', { path: tmpdir() }, 422, 'MEDIA_UNREADABLE'],
    ['no path', {}, 400, 'INVALID_ARGUMENT'],
  ])('refuses to add %s with a clear status', async (_, body, status, code) => {
    const response = await json('POST', '/v1/media', body);
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toBe(code);
  });

  it('reads and changes settings, refusing an unknown default model', async () => {
    expect((await json('GET', '/v1/settings')).json()).toMatchObject({
      defaultModel: null,
      useGpu: true,
    });
    const changed = await json('PATCH', '/v1/settings', {
      defaultModel: 'tiny-random',
      workers: 1,
    });
    expect(changed.json()).toMatchObject({ defaultModel: 'tiny-random', workers: 1 });
    const unknown = await json('PATCH', '/v1/settings', { defaultModel: 'silero-vad-v6.2.0' });
    expect(unknown.statusCode).toBe(404);
    expect((await json('PATCH', '/v1/settings', { workers: 0 })).statusCode).toBe(400);
    expect((await json('GET', '/v1/settings')).json().defaultModel).toBe('tiny-random');
  });

  it('guards every /v1 route: token, scope, Host and Origin', async () => {
    const noToken = await app.inject({ method: 'GET', url: '/v1/media' });
    expect(noToken.statusCode).toBe(401);
    expect(noToken.headers['www-authenticate']).toMatch(/^Bearer/);
    const reader = engine.tokens.createToken({ name: 'reader', scopes: ['read'] });
    const asReader = { authorization: `Bearer ${reader.token}` };
    expect(
      (await app.inject({ method: 'GET', url: '/v1/media', headers: asReader })).statusCode,
    ).toBe(200);
    const denied = await app.inject({
      method: 'POST',
      url: '/v1/media',
      headers: asReader,
      payload: { path: speech.jfk },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.message).toMatch(/transcribe/);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/v1/media',
          headers: { ...auth, host: 'evil.example:80' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/v1/media',
          headers: { ...auth, origin: 'https://evil.example' },
        })
      ).statusCode,
    ).toBe(403);
    engine.tokens.revoke(reader.id);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/media', headers: asReader })).statusCode,
    ).toBe(401);
  });

  it('fills what a transcription request leaves out from the settings, and stores it with the job', async () => {
    const media = (await json('POST', '/v1/media', { path: speech.jfk })).json() as { id: string };
    // tiny-random is English-only: a default language it cannot transcribe would be refused.
    await json('PATCH', '/v1/settings', {
      defaultLanguage: 'en',
      vad: false,
      defaultPreset: 'social',
    });
    const submitted = await json('POST', '/v1/jobs', { kind: 'transcribe', mediaId: media.id });
    expect(submitted.statusCode).toBe(202);
    const job = submitted.json() as JobView;
    expect(job.params).toMatchObject({
      modelId: 'tiny-random', // no defaultModel set: the first ready Whisper model
      language: 'en',
      vad: false,
      preset: 'social',
      translate: false,
    });
    // A field the request names wins over the setting.
    const named = await json('POST', '/v1/jobs', {
      kind: 'transcribe',
      mediaId: media.id,
      params: { language: 'auto', vad: true },
    });
    expect((named.json() as JobView).params).toMatchObject({ language: 'auto', vad: true });
    for (const id of [job.id, (named.json() as JobView).id]) await json('DELETE', `/v1/jobs/${id}`);
    await json('PATCH', '/v1/settings', {
      defaultLanguage: 'auto',
      vad: true,
      defaultPreset: 'broadcast',
    });
  });

  it('answers 429 with Retry-After when the queue is full, and serves again once it drains', async () => {
    const media = (await json('POST', '/v1/media', { path: speech.jfk })).json() as { id: string };
    expect((await json('PATCH', '/v1/settings', { maxQueuedJobs: 1 })).statusCode).toBe(200);
    // Different thresholds so that no job is answered from the transcript cache (the model is
    // English-only, so the language cannot vary).
    const submit = (lowConfidence: number) =>
      json('POST', '/v1/jobs', {
        kind: 'transcribe',
        mediaId: media.id,
        params: { modelId: 'tiny-random', language: 'en', lowConfidence },
      });
    const accepted: JobView[] = [];
    let refused;
    for (const lowConfidence of [0.31, 0.32, 0.33, 0.34, 0.35]) {
      const response = await submit(lowConfidence);
      if (response.statusCode === 429) {
        refused = response;
        break;
      }
      expect(response.statusCode, response.body).toBe(202);
      accepted.push(response.json() as JobView);
    }
    // Two run at once (the runner's concurrency), one may wait: the fourth is refused.
    expect(accepted).toHaveLength(3);
    expect(refused?.json().error).toMatchObject({ code: 'QUEUE_FULL' });
    expect(refused?.json().error.message).toMatch(/maxQueuedJobs/);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    for (const job of accepted) await json('DELETE', `/v1/jobs/${job.id}`);
    expect((await submit(0.36)).statusCode).toBe(202);
    await json('PATCH', '/v1/settings', { maxQueuedJobs: 500 });
    for (const job of (await json('GET', '/v1/jobs')).json().jobs as JobView[]) {
      if (job.state === 'queued' || job.state === 'running')
        await json('DELETE', `/v1/jobs/${job.id}`);
    }
  }, 60_000);

  it('answers malformed requests and unknown ids with JSON errors and keeps serving', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/media',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"path": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_ARGUMENT');
    const unknownKind = await json('POST', '/v1/jobs', { kind: 'dance', params: {} });
    expect(unknownKind.statusCode).toBe(400);
    expect(
      (
        await json('POST', '/v1/jobs', {
          kind: 'transcribe',
          mediaId: 'nope',
          params: { modelId: 'tiny-random' },
        })
      ).statusCode,
    ).toBe(404);
    expect((await json('GET', '/v1/jobs/nope')).statusCode).toBe(404);
    expect((await json('DELETE', '/v1/jobs/nope')).statusCode).toBe(404);
    expect((await json('GET', '/v1/transcripts/nope')).statusCode).toBe(404);
    expect((await json('GET', '/health')).statusCode).toBe(200);
  });
});
