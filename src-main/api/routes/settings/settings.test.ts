import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/create-engine';
import { createTestEngine } from '../../../engine/test-support/test-engine';
import { buildApp } from '../../app';

const work = mkdtempSync(join(tmpdir(), 'studio-settings-routes-'));
let engine: Engine;
let app: FastifyInstance;
let headers: Record<string, string>;

beforeAll(async () => {
  // tiny-random: the synthetic English-only model, the only Whisper model installed.
  engine = await createTestEngine(join(work, 'data'));
  app = await buildApp({ engine });
  headers = {
    authorization: `Bearer ${engine.tokens.createToken({ scopes: ['read', 'transcribe', 'admin'] }).token}`,
  };
}, 120_000);
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

type ErrorBody = {
  error: { code: string; message: string; details?: { field?: string; accepted?: string[] } };
};
const patch = (payload: Record<string, unknown>) =>
  app.inject({ method: 'PATCH', url: '/v1/settings', headers, payload });

describe('PATCH /v1/settings checks each value against what the engine accepts', () => {
  it('refuses a language Whisper does not know with 400, naming the field and the accepted values', async () => {
    for (const language of ['french', 'klingon', 'FR']) {
      const response = await patch({ defaultLanguage: language });
      expect(response.statusCode, language).toBe(400);
      const { error } = response.json() as ErrorBody;
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toContain('defaultLanguage');
      expect(error.details?.field).toBe('defaultLanguage');
      expect(error.details?.accepted).toEqual(expect.arrayContaining(['auto', 'en', 'fr', 'yue']));
    }
    const { error } = (await patch({ defaultLanguage: 'french' })).json() as ErrorBody;
    expect(error.message).toContain('"fr"');
    expect(engine.settings.get().defaultLanguage).toBe('auto');
  });

  it('refuses a language the default model cannot transcribe (an English-only model)', async () => {
    const response = await patch({ defaultLanguage: 'fr' });
    expect(response.statusCode).toBe(400);
    const { error } = response.json() as ErrorBody;
    expect(error.message).toMatch(/tiny-random.*English-only/);
    expect(error.details).toMatchObject({ field: 'defaultLanguage', accepted: ['auto', 'en'] });
    expect(engine.settings.get().defaultLanguage).toBe('auto');
  });

  it('stores a language code the engine accepts', async () => {
    const response = await patch({ defaultLanguage: 'en' });
    expect(response.statusCode).toBe(200);
    expect(engine.settings.get().defaultLanguage).toBe('en');
    expect((await patch({ defaultLanguage: 'auto' })).statusCode).toBe(200);
  });

  it('refuses a default model that is not a Whisper model, naming the field', async () => {
    const response = await patch({ defaultModel: 'silero-vad' });
    expect(response.statusCode).toBe(404);
    const { error } = response.json() as ErrorBody;
    expect(error.details?.field).toBe('defaultModel');
  });

  it('refuses a default model that is not installed (every transcription would fail), naming it', async () => {
    const missing = engine.models.list().find((m) => m.kind === 'whisper' && m.status !== 'ready');
    expect(missing).toBeDefined();
    const response = await patch({ defaultModel: missing!.id });
    expect(response.statusCode).toBe(409);
    const { error } = response.json() as ErrorBody;
    expect(error.code).toBe('MODEL_NOT_READY');
    expect(error.message).toContain(missing!.id);
    expect(error.details).toMatchObject({ field: 'defaultModel', modelId: missing!.id });
    expect(engine.settings.get().defaultModel).toBeNull();
    expect((await patch({ defaultModel: 'tiny-random' })).statusCode).toBe(200);
    expect((await patch({ defaultModel: null })).statusCode).toBe(200);
  });

  it('refuses an unknown caption preset and out-of-range numbers, naming the field', async () => {
    for (const [payload, field] of [
      [{ defaultPreset: 'cinema' }, 'defaultPreset'],
      [{ workers: 0 }, 'workers'],
      [{ maxQueuedJobs: 1.5 }, 'maxQueuedJobs'],
    ] as const) {
      const response = await patch(payload);
      expect(response.statusCode, field).toBe(400);
      expect((response.json() as ErrorBody).error.message).toContain(field);
    }
  });
});
