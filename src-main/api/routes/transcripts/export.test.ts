import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptionPresetList } from '../../../contract/captions';
import { makeDocument, timedWords } from '../../../common/captions/__fixtures__/make-document';
import { broadcastRules, socialRules } from '../../../engine/captions/presets';
import { wrapDocument } from '../../../common/captions/wrap';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { parseCues } from '../../../engine/exports/__fixtures__/parse-cues';
import { speech } from '../../../engine/media/__fixtures__/media-fixtures';
import { buildApp } from '../../app';
import { attachmentHeader } from './export-reply';

const work = mkdtempSync(join(tmpdir(), 'studio-export-'));
let engine: Engine;
let app: FastifyInstance;
let auth: Record<string, string>;
let transcriptId: string;

const speechText =
  'So this is a fairly long sentence that we say without stopping, because captions for ' +
  'broadcast and captions for social video wrap such a sentence in very different ways. | ' +
  'Then a short one.';

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  app = await buildApp({ engine });
  auth = { authorization: `Bearer ${engine.tokens.createToken({ scopes: ['read'] }).token}` };
  const file = join(work, 'Über Interview.wav');
  copyFileSync(speech.jfk, file);
  const media = await engine.media.add(file);
  // Stored as a transcription leaves it: wrapped for broadcast.
  const document = wrapDocument(makeDocument([timedWords(speechText)]), broadcastRules());
  transcriptId = engine.repos.transcripts.insert({
    mediaId: media.id,
    modelId: 'test',
    language: 'en',
    document,
  }).id;
}, 60_000);
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const get = (url: string) => app.inject({ url, headers: auth });

describe('GET /v1/transcripts/:id/export', () => {
  it('downloads the captions as stored, named after the media', async () => {
    const response = await get(`/v1/transcripts/${transcriptId}/export?format=srt`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-subrip; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="_ber_Interview.srt"; filename*=UTF-8''%C3%9Cber%20Interview.srt`,
    );
    const cues = parseCues(response.body);
    // Broadcast: up to two lines of up to 42 characters, and this speech fills two lines.
    expect(cues.some((cue) => cue.lines.length === 2)).toBe(true);
    expect(cues.every((cue) => cue.lines.every((line) => line.length <= 42))).toBe(true);

    const docx = await get(`/v1/transcripts/${transcriptId}/export?format=docx`);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await get(`/v1/transcripts/${transcriptId}/export`)).json()).toMatchObject({
      version: 1,
      language: 'en',
    });
  });

  it('re-wraps under a preset for the export only', async () => {
    const url = `/v1/transcripts/${transcriptId}/export?format=srt`;
    const stored = (await get(url)).body;
    const social = await get(`${url}&preset=social`);
    expect(social.statusCode).toBe(200);
    expect(social.body).not.toBe(stored);
    const rules = socialRules();
    const cues = parseCues(social.body);
    expect(cues.length).toBeGreaterThan(parseCues(stored).length);
    for (const cue of cues) {
      expect(cue.lines).toHaveLength(rules.maxLines);
      expect(cue.lines[0]!.length).toBeLessThanOrEqual(rules.maxCharsPerLine);
    }
    // The same words, in the same order.
    const words = (text: string) =>
      parseCues(text).flatMap((cue) => cue.lines.join(' ').split(' '));
    expect(words(social.body)).toEqual(words(stored));
    // The stored transcript is unchanged.
    expect((await get(url)).body).toBe(stored);
  });

  it('refuses an unknown format or preset with 400 and an unknown transcript with 404', async () => {
    for (const query of ['format=pdf', 'format=srt&preset=cinema', 'format=srt&preset=custom']) {
      const response = await get(`/v1/transcripts/${transcriptId}/export?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('INVALID_ARGUMENT');
    }
    expect((await get('/v1/transcripts/nope/export?format=srt')).statusCode).toBe(404);
  });
});

describe('GET /v1/caption-presets', () => {
  it('lists the named presets with the engine’s rules', async () => {
    const response = await get('/v1/caption-presets');
    expect(response.statusCode).toBe(200);
    const { presets } = response.json() as CaptionPresetList;
    expect(presets.map((p) => p.id)).toEqual(['broadcast', 'social']);
    expect(presets[0]).toMatchObject({ name: 'Broadcast', fps: 25, rules: broadcastRules() });
    expect(presets[1]).toMatchObject({ name: 'Social', fps: 30, rules: socialRules() });
    expect(presets[1]!.description).toMatch(/1 line of up to 32 characters/);
  });
});

describe('attachmentHeader', () => {
  it('adds the UTF-8 name only when the ASCII one had to change', () => {
    expect(attachmentHeader('jfk.srt')).toBe('attachment; filename="jfk.srt"');
    expect(attachmentHeader("it's (new).txt")).toBe(
      `attachment; filename="it_s_new_.txt"; filename*=UTF-8''it%27s%20%28new%29.txt`,
    );
  });
});
