import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../../contract/jobs';
import type { MediaItem, MediaList } from '../../../contract/media';
import type { TranscriptView } from '../../../contract/transcripts';
import type { Engine } from '../../../engine/create-engine';
import { createTestEngine } from '../../../engine/test-support/test-engine';
import { speech } from '../../../engine/media/__fixtures__/media-fixtures';
import { buildApp } from '../../app';

const work = mkdtempSync(join(tmpdir(), 'studio-media-list-'));
let engine: Engine;
let app: FastifyInstance;
let auth: Record<string, string>;
/** By name: Über Interview.wav (11 s), alpha.wav (11 s), zulu.mp3 (8.5 s), added in that order. */
const items: Record<string, MediaItem> = {};

beforeAll(async () => {
  engine = await createTestEngine(join(work, 'data'));
  app = await buildApp({ engine });
  auth = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
  for (const [name, source] of [
    ['Über Interview.wav', speech.jfk],
    ['alpha.wav', speech.jfk],
    ['zulu.mp3', speech.french],
  ] as const) {
    const file = join(work, name);
    copyFileSync(source, file);
    const added = await json('POST', '/v1/media', { path: file });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ name, transcript: null, job: null });
    items[name] = added.json() as MediaItem;
  }
}, 120_000);
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

function json(method: 'GET' | 'POST', url: string, payload?: object) {
  return app.inject({ method, url, headers: auth, ...(payload && { payload }) });
}

const list = async (query = '') => {
  const response = await json('GET', `/v1/media${query}`);
  expect(response.statusCode, query).toBe(200);
  return response.json() as MediaList;
};
const names = async (query: string) => (await list(query)).media.map((m) => m.name);

async function finished(id: string): Promise<JobView> {
  for (;;) {
    const job = (await json('GET', `/v1/jobs/${id}`)).json() as JobView;
    if (job.state !== 'queued' && job.state !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GET /v1/media summaries', () => {
  it('shows the running job, then the newest transcript in brief', async () => {
    const alpha = items['alpha.wav']!;
    const submitted = await json('POST', '/v1/jobs', {
      kind: 'transcribe',
      mediaId: alpha.id,
      params: { modelId: 'tiny-random', language: 'en' },
    });
    expect(submitted.statusCode).toBe(202);
    const jobId = (submitted.json() as JobView).id;
    const during = (await json('GET', `/v1/media/${alpha.id}`)).json() as MediaItem;
    expect(during.job).toEqual({
      id: jobId,
      state: expect.stringMatching(/^(queued|running)$/),
      percent: expect.any(Number),
    });
    expect(during.job!.percent).toBeGreaterThanOrEqual(0);
    expect(during.job!.percent).toBeLessThan(100);

    const job = await finished(jobId);
    expect(job.state).toBe('completed');
    const { transcriptId } = job.result as { transcriptId: string };
    const transcript = (
      await json('GET', `/v1/transcripts/${transcriptId}`)
    ).json() as TranscriptView;
    const words = transcript.document.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
    expect(words.length).toBeGreaterThan(0);
    const expected = {
      id: transcriptId,
      status: 'complete',
      language: 'en',
      speakerCount: transcript.document.speakers.length,
      wordCount: words.length,
      updatedAt: transcript.updatedAt,
    };
    const listed = (await list()).media.find((m) => m.id === alpha.id)!;
    expect(listed.transcript).toEqual(expected);
    expect(listed.job).toBeNull();
    expect(((await json('GET', `/v1/media/${alpha.id}`)).json() as MediaItem).transcript).toEqual(
      expected,
    );

    // An edit (a new version) is counted afresh: drop one word from a line that has several.
    const edited = structuredClone(transcript.document);
    const line = edited.segments.flatMap((seg) => seg.lines).find((l) => l.words.length > 1)!;
    line.words.pop();
    line.end = line.words.at(-1)!.end;
    const saved = await app.inject({
      method: 'PATCH',
      url: `/v1/transcripts/${transcriptId}`,
      headers: auth,
      payload: { version: transcript.version, document: edited },
    });
    expect(saved.statusCode).toBe(200);
    expect(((await json('GET', `/v1/media/${alpha.id}`)).json() as MediaItem).transcript).toEqual({
      ...expected,
      wordCount: words.length - 1,
      updatedAt: (saved.json() as TranscriptView).updatedAt,
    });

    // A newer transcript (still being made) becomes the one shown; the item stays "transcribed".
    const newer = engine.repos.transcripts.insert({
      mediaId: alpha.id,
      modelId: 'tiny-random',
      language: null,
      document: { ...transcript.document, speakers: [{ id: 's1', name: 'A' }], segments: [] },
      status: 'partial',
    });
    const relisted = (await list()).media.find((m) => m.id === alpha.id)!;
    expect(relisted.transcript).toMatchObject({
      id: newer.id,
      status: 'partial',
      language: null,
      speakerCount: 1,
      wordCount: 0,
    });
    expect(await names('?status=transcribed')).toEqual(['alpha.wav']);
  }, 180_000);

  it('filters by status and by a case-insensitive part of the name', async () => {
    expect(await names('?status=untranscribed')).toEqual(['zulu.mp3', 'Über Interview.wav']);
    expect(await names('?q=ÜBER')).toEqual(['Über Interview.wav']);
    expect(await names('?q=ALP')).toEqual(['alpha.wav']);
    expect(await names('?q=U')).toEqual(['zulu.mp3']);
    expect(await names('?q=.wav&status=untranscribed')).toEqual(['Über Interview.wav']);
    const none = await list('?q=nothing-like-this');
    expect(none).toEqual({ media: [], total: 0 });
  });

  it('sorts by creation either way, by name and by duration, and counts all pages', async () => {
    expect(await names('')).toEqual(['zulu.mp3', 'alpha.wav', 'Über Interview.wav']);
    expect(await names('?sort=created-asc')).toEqual([
      'Über Interview.wav',
      'alpha.wav',
      'zulu.mp3',
    ]);
    expect(await names('?sort=name')).toEqual(['alpha.wav', 'Über Interview.wav', 'zulu.mp3']);
    expect((await names('?sort=duration'))[0]).toBe('zulu.mp3');
    const page = await list('?sort=created-asc&limit=1&offset=1');
    expect(page.media.map((m) => m.name)).toEqual(['alpha.wav']);
    expect(page.total).toBe(3);
    for (const bad of ['?sort=size', '?status=done', '?limit=0']) {
      const response = await json('GET', `/v1/media${bad}`);
      expect(response.statusCode, bad).toBe(400);
      expect(response.json().error.code).toBe('INVALID_ARGUMENT');
    }
  });
});
