import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResult } from '../../../contract/search';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { cue, documentOf } from '../../../engine/exports/__fixtures__/sample-document';
import { speech } from '../../../engine/whisper/__fixtures__/whisper-fixtures';
import { buildApp } from '../../app';

const work = mkdtempSync(join(tmpdir(), 'studio-search-'));
let engine: Engine;
let app: FastifyInstance;
let read: Record<string, string>;
let mediaId: string;
let transcriptId: string;

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  app = await buildApp({ engine });
  read = { authorization: `Bearer ${engine.tokens.sessionToken(['read'])}` };
  // A synthetic model transcribes noise, so the transcript is written with known words instead.
  mediaId = (await engine.media.add(speech.jfk)).id;
  transcriptId = engine.repos.transcripts.insert({
    mediaId,
    modelId: null,
    language: 'en',
    document: documentOf(
      [
        cue('a', 'jfk', 320, 4100, ['And so, my fellow Americans,']),
        cue('b', 'jfk', 4800, 8300, ['ask not what your country', 'can do for you,']),
        cue('c', 'jfk', 8600, 10_900, ['ask what you can do', 'for your country.']),
      ],
      [{ id: 'jfk', name: 'John F. Kennedy' }],
    ),
  }).id;
}, 60_000);
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const nothing: SearchResult = { hits: [], total: 0, totalIsLowerBound: false, order: 'relevance' };

const search = (query: string, headers = read) =>
  app.inject({ method: 'GET', url: `/v1/search?${query}`, headers });

describe('GET /v1/search', () => {
  it('finds segments with their time offsets and highlight ranges', async () => {
    const response = await search(`q=${encodeURIComponent('"ask not" COUNTRY')}`);
    expect(response.statusCode).toBe(200);
    const body = response.json() as SearchResult;
    expect(body).toMatchObject({ total: 1, totalIsLowerBound: false, order: 'relevance' });
    const [hit] = body.hits;
    expect(hit).toMatchObject({
      transcriptId,
      mediaId,
      mediaName: 'jfk.wav',
      segmentIndex: 1,
      startMs: 4800,
      endMs: 8300,
      speaker: 'jfk',
      snippet: 'ask not what your country can do for you,',
    });
    expect(hit!.highlights.map(([a, b]) => hit!.snippet.slice(a, b))).toEqual([
      'ask not',
      'country',
    ]);
  });

  it('matches the last word as a prefix, ranks, pages and filters by media', async () => {
    const pages = await Promise.all(
      [0, 1].map(async (offset) => {
        const body = (await search(`q=countr&limit=1&offset=${offset}`)).json() as SearchResult;
        expect(body.total).toBe(2);
        expect(body.hits).toHaveLength(1);
        return body.hits[0]!.startMs;
      }),
    );
    expect(pages.sort((a, b) => a - b)).toEqual([4800, 8600]);
    expect((await search(`q=amer&mediaId=${mediaId}`)).json()).toMatchObject({
      total: 1,
      hits: [{ segmentIndex: 0, startMs: 320, endMs: 4100 }],
    });
    expect((await search('q=amer&mediaId=other')).json()).toEqual(nothing);
  });

  it('takes search syntax literally instead of failing', async () => {
    for (const q of ['"', 'NEAR(', 'col:x', 'AND OR NOT', '*']) {
      const response = await search(`q=${encodeURIComponent(q)}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(nothing);
    }
  });

  it.each([
    ['an empty query', 'q=', /search query is empty/],
    ['a blank query', 'q=%20%20', /search query is empty/],
    ['no query', '', /at \/q/],
    ['a limit over 200', 'q=ask&limit=201', /limit/],
    ['a negative offset', 'q=ask&offset=-1', /offset/],
  ])('answers %s with 400 INVALID_ARGUMENT', async (_, query, message) => {
    const response = await search(query);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(response.json().error.message).toMatch(message);
  });

  it('needs a token', async () => {
    const response = await search('q=ask', {});
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('UNAUTHORIZED');
  });

  it('is documented in the OpenAPI document', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operation = spec.paths['/v1/search'].get;
    expect(operation.summary).toMatch(/Search every transcript/);
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'limit', 'offset', 'mediaId']),
    );
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400']));
  });
});
