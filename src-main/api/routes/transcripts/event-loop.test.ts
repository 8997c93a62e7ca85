/**
 * GET and PATCH of a 3-hour transcript (32,400 words, ~5 MB of JSON) through the real API and a
 * real SQLite library, with a lag probe on the event loop: neither request may hold the loop for
 * long (the house rule is 50 ms; the assertion leaves room for a shared 2-core machine, the bench
 * `transcript-edit` reports the real figure), and the answers are those the API gave before the
 * work moved off the main thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Segment, TranscriptDocument } from '../../../contract/document';
import { patchTranscriptBody, type TranscriptView } from '../../../contract/transcripts';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { checkInvariants } from '../../../engine/documents/validate';
import { isEngineError } from '../../../engine/errors';
import { documentWith, segmentOf } from '../../../engine/store/__fixtures__/documents';
import { buildApp } from '../../app';

const LIMIT_MS = 100;
const PROBE_MS = 5;

const work = mkdtempSync(join(tmpdir(), 'studio-transcripts-loop-'));
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

const SEGMENTS = 2700;
/** 12 words a segment: 32,400 words, as in a 3-hour recording. */
const sentence = (word: string) =>
  `so this ${word} is what we said in that part of the talk`.split(' ').slice(0, 12).join(' ');

function threeHours(word: string): TranscriptDocument {
  const segments = Array.from({ length: SEGMENTS }, (_, i) =>
    segmentOf(i + 1, sentence(word), 'ana'),
  );
  return { ...documentWith(segments), durationMs: (SEGMENTS + 2) * 10_000 };
}

/** Runs `work` with a probe every few ms; the longest the loop was held past the probe's tick. */
async function longestBlock<T>(work: () => Promise<T>): Promise<{ result: T; maxMs: number }> {
  let maxMs = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    maxMs = Math.max(maxMs, now - last - PROBE_MS);
    last = now;
  }, PROBE_MS);
  try {
    // Let the probe tick once before the work starts.
    await new Promise((resolve) => setTimeout(resolve, PROBE_MS * 2));
    const result = await work();
    await new Promise((resolve) => setTimeout(resolve, PROBE_MS * 2));
    return { result, maxMs };
  } finally {
    clearInterval(probe);
  }
}

/** The answer as the API wrote it before (`toView` of the stored record, JSON). */
const oldView = (id: string): TranscriptView => {
  const t = engine.repos.transcripts.get(id)!;
  return {
    id: t.id,
    mediaId: t.mediaId,
    modelId: t.modelId,
    language: t.language,
    version: t.version,
    status: t.status,
    document: t.document,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
};

const insertLong = (word: string) =>
  engine.repos.transcripts.insert({
    mediaId,
    modelId: 'base',
    language: 'en',
    document: threeHours(word),
  });

const hitsFor = async (q: string, id: string) =>
  (await engine.repos.search.search({ q, limit: 200, mediaId })).hits.filter(
    (hit) => hit.transcriptId === id,
  ).length;

describe('a 3-hour transcript through the API', () => {
  it('GET answers it as before without holding the event loop', async () => {
    const stored = insertLong('kiwi');
    const expected = JSON.parse(JSON.stringify(oldView(stored.id))) as unknown;
    // Warm the route once (first use compiles schemas and statements).
    await app.inject({ url: `/v1/transcripts/${stored.id}`, headers: auth });
    // The best of up to three: a block of the request's own shows every time, a pause of a
    // busy shared machine (or a GC of the test's own documents) does not.
    let best = Infinity;
    let response = await app.inject({ url: `/v1/transcripts/${stored.id}`, headers: auth });
    for (let i = 0; i < 3 && best >= LIMIT_MS; i += 1) {
      const run = await longestBlock(() =>
        app.inject({ url: `/v1/transcripts/${stored.id}`, headers: auth }),
      );
      response = run.result;
      best = Math.min(best, run.maxMs);
    }
    const maxMs = best;
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toEqual(expected);
    expect(maxMs, `longest block ${maxMs.toFixed(1)} ms`).toBeLessThan(LIMIT_MS);
  }, 60_000);

  it('PATCH stores the edit, re-indexes it and never holds the event loop', async () => {
    const stored = insertLong('kumquat');
    expect(await hitsFor('kumquat', stored.id)).toBeGreaterThan(0);
    // Every segment changes: the whole search index of the transcript is rewritten.
    // The best of up to three edits (see GET), each rewriting every segment, the last to papaya.
    const words = ['fig', 'date', 'papaya'];
    let best = Infinity;
    let version = stored.version;
    let payload = '';
    let edited = threeHours('papaya');
    let response: Awaited<ReturnType<typeof app.inject>> | undefined;
    for (const [i, word] of words.entries()) {
      if (best < LIMIT_MS && i < words.length - 1) continue;
      edited = { ...threeHours(word), notes: ['Checked by a person.'] };
      payload = JSON.stringify({ version, document: edited });
      const run = await longestBlock(() =>
        app.inject({
          method: 'PATCH',
          url: `/v1/transcripts/${stored.id}`,
          headers: { ...auth, 'content-type': 'application/json' },
          payload,
        }),
      );
      response = run.result;
      expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
      version += 1;
      best = Math.min(best, run.maxMs);
    }
    const maxMs = best;
    const saved = response!.json<TranscriptView>();
    expect(saved.version).toBe(version);
    expect(saved.document).toEqual(edited);
    expect(saved).toEqual(JSON.parse(JSON.stringify(oldView(stored.id))));
    expect(engine.repos.transcripts.get(stored.id)!.document).toEqual(edited);
    expect(await hitsFor('papaya', stored.id)).toBeGreaterThan(0);
    expect(await hitsFor('kumquat', stored.id)).toBe(0);
    expect(maxMs, `longest block ${maxMs.toFixed(1)} ms`).toBeLessThan(LIMIT_MS);

    // The version it was edited from is stale now.
    const stale = await app.inject({
      method: 'PATCH',
      url: `/v1/transcripts/${stored.id}`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT');
  }, 60_000);

  it('two PATCHes of the same version: one is saved, the other gets 409', async () => {
    const stored = insertLong('quince');
    const send = (word: string) =>
      app.inject({
        method: 'PATCH',
        url: `/v1/transcripts/${stored.id}`,
        headers: { ...auth, 'content-type': 'application/json' },
        payload: JSON.stringify({ version: stored.version, document: threeHours(word) }),
      });
    const [a, b] = await Promise.all([send('mango'), send('guava')]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const won = a.statusCode === 200 ? 'mango' : 'guava';
    const lost = won === 'mango' ? 'guava' : 'mango';
    expect(engine.repos.transcripts.get(stored.id)!.document).toEqual(threeHours(won));
    expect(await hitsFor(won, stored.id)).toBeGreaterThan(0);
    expect(await hitsFor(lost, stored.id)).toBe(0);
    expect(await hitsFor('quince', stored.id)).toBe(0);
  }, 60_000);

  it('refuses an invalid long document with the same 400 as before, storing nothing', async () => {
    const stored = insertLong('lychee');
    const document = threeHours('lychee');
    // Invariant: two segments out of time order.
    const segments: Segment[] = [...document.segments];
    [segments[1000], segments[1001]] = [segments[1001]!, segments[1000]!];
    const outOfOrder = { ...document, segments };
    let invariantMessage = '';
    try {
      checkInvariants(outOfOrder);
    } catch (error) {
      if (isEngineError(error)) invariantMessage = error.message;
    }
    expect(invariantMessage).toMatch(/segments\[1001\]/);
    // Schema: a word with no text.
    const badWord = structuredClone(document) as unknown as {
      segments: { lines: { words: Record<string, unknown>[] }[] }[];
    };
    delete badWord.segments[2000]!.lines[0]!.words[3]!.text;
    const parsed = patchTranscriptBody.safeParse({ version: 1, document: badWord });
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0]!;
    const schemaMessage = `Invalid request at /${issue.path.join('/')}: ${issue.message}`;

    for (const [body, message] of [
      [{ version: 1, document: outOfOrder }, invariantMessage],
      [{ version: 1, document: badWord }, schemaMessage],
    ] as const) {
      const response = await app.inject({
        method: 'PATCH',
        url: `/v1/transcripts/${stored.id}`,
        headers: { ...auth, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'INVALID_ARGUMENT', message });
    }
    const notJson = await app.inject({
      method: 'PATCH',
      url: `/v1/transcripts/${stored.id}`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: `{"version": 1, "document": ${JSON.stringify(document).slice(0, -1)}`,
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.message).toBe(
      "Body is not valid JSON but content-type is set to 'application/json'",
    );
    expect(engine.repos.transcripts.get(stored.id)!.version).toBe(1);
  }, 60_000);
});
