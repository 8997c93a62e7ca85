import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptDocument } from '../../../contract/document';
import type { TranscriptView } from '../../../contract/transcripts';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { documentWith, segmentOf } from '../../../engine/store/__fixtures__/documents';
import { buildApp } from '../../app';

const work = mkdtempSync(join(tmpdir(), 'studio-transcripts-'));
let engine: Engine;
let app: FastifyInstance;
let auth: Record<string, string>;
let mediaId: string;

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  app = await buildApp({ engine });
  auth = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
  mediaId = engine.repos.media.insert({
    path: join(work, 'three-hours.wav'),
    name: 'three-hours.wav',
    sizeBytes: 1,
    durationSec: 3 * 3600,
    container: 'wav',
    audioCodec: 'pcm_s16le',
    sampleRate: 16000,
    channels: 1,
    hasVideo: false,
  }).id;
}, 60_000);
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const sentence =
  'so this is what we said in that part of the talk and it went on for a while before the next';

/** A transcript as long as a 3-hour recording: a segment every 10 s, 30,000 words in all. */
function threeHours(): TranscriptDocument {
  const segments = Array.from({ length: 1080 }, (_, i) => segmentOf(i + 1, sentence, 'ana'));
  return { ...documentWith(segments), durationMs: 3 * 3600 * 1000 + 20_000 };
}

const viewFields = [
  'createdAt',
  'document',
  'id',
  'language',
  'mediaId',
  'modelId',
  'status',
  'updatedAt',
  'version',
];

describe('GET /v1/transcripts/:id', () => {
  it('answers the stored document with the view’s fields only', async () => {
    const document = documentWith([segmentOf(1, 'hello there', 'ana')]);
    const stored = engine.repos.transcripts.insert({
      mediaId,
      modelId: 'base',
      language: 'en',
      document,
      cacheKey: 'internal',
    });
    const response = await app.inject({ url: `/v1/transcripts/${stored.id}`, headers: auth });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(viewFields);
    expect(body).toMatchObject({ id: stored.id, version: 1, status: 'complete', document });
  });
});

describe('PATCH /v1/transcripts/:id', () => {
  it('refuses a document that breaks an invariant the schema cannot state, naming where', async () => {
    const stored = engine.repos.transcripts.insert({
      mediaId,
      modelId: null,
      language: 'en',
      document: documentWith([segmentOf(1, 'one')]),
    });
    // Two segments out of time order.
    const document = documentWith([segmentOf(2, 'two'), segmentOf(1, 'one')]);
    const response = await app.inject({
      method: 'PATCH',
      url: `/v1/transcripts/${stored.id}`,
      headers: auth,
      payload: { version: 1, document },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/segments\[1\]/);
    expect(engine.repos.transcripts.get(stored.id)!.version).toBe(1);
  });

  it('answers the saved transcript with the view’s fields only', async () => {
    const stored = engine.repos.transcripts.insert({
      mediaId,
      modelId: null,
      language: 'en',
      document: documentWith([segmentOf(1, 'one')]),
    });
    const document = documentWith([segmentOf(1, 'one more')]);
    const response = await app.inject({
      method: 'PATCH',
      url: `/v1/transcripts/${stored.id}`,
      headers: auth,
      payload: { version: 1, document },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(viewFields);
    expect(body).toMatchObject({ version: 2, document });
  });

  it('saves an edit of a 3-hour transcript (a document of several MB)', async () => {
    const document = threeHours();
    const stored = engine.repos.transcripts.insert({
      mediaId,
      modelId: null,
      language: 'en',
      document,
    });
    const edited: TranscriptDocument = { ...document, notes: ['Checked by a person.'] };
    const payload = { version: stored.version, document: edited };
    expect(JSON.stringify(payload).length).toBeGreaterThan(2 ** 20);

    const response = await app.inject({
      method: 'PATCH',
      url: `/v1/transcripts/${stored.id}`,
      headers: auth,
      payload,
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    const saved = response.json<TranscriptView>();
    expect(saved.version).toBe(stored.version + 1);
    expect(saved.document).toEqual(edited);
    expect(engine.repos.transcripts.get(stored.id)!.document.notes).toEqual([
      'Checked by a person.',
    ]);
  }, 60_000);
});
