import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../documents/validate';
import { createEngine, type Engine } from '../create-engine';
import { speech, testModels } from '../whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../whisper/test-model/make-test-model';
import { defaultWhisperModel } from './whisper-model';

const work = mkdtempSync(join(tmpdir(), 'studio-transcribe-file-'));
let engine: Engine;
/** An engine without any model. */
let bare: Engine;

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  await engine.models.importFile((await ensureTestModel('tiny', 1)).path, { id: 'tiny-random' });
  await engine.models.importFile(testModels.sileroVad);
  bare = createEngine({ dataDir: join(work, 'bare') });
}, 120_000);
afterAll(async () => {
  await engine.shutdown();
  await bare.shutdown();
  rmSync(work, { recursive: true, force: true });
});

describe('transcriptions.transcribeFile', () => {
  it('transcribes a file with the default model and stores nothing', async () => {
    const result = await engine.transcriptions.transcribeFile({
      file: speech.jfk,
      params: { language: 'en' },
      signal: new AbortController().signal,
    });
    expect(result).toMatchObject({
      modelId: 'tiny-random',
      language: 'en',
      languageName: 'english',
      durationSec: 11,
    });
    expect(() => validateDocument(result.document)).not.toThrow();
    expect(result.document.segments.length).toBeGreaterThan(0);
    expect(result.document.durationMs).toBe(11_000);
    expect(result.segments.length).toBeGreaterThan(0);
    expect(result.segments.every((s) => s.t0 >= 0 && s.t1 >= s.t0)).toBe(true);
    expect(engine.repos.media.list()).toEqual([]);
  }, 120_000);

  it('stops with CANCELLED when its signal aborts', async () => {
    const controller = new AbortController();
    const running = engine.transcriptions.transcribeFile({
      file: speech.jfk,
      params: { modelId: 'tiny-random' },
      signal: controller.signal,
    });
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('says how to get a model when none is installed', async () => {
    const attempt = bare.transcriptions.transcribeFile({
      file: speech.jfk,
      signal: new AbortController().signal,
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'MODEL_NOT_READY',
      message: 'No Whisper model is installed.',
      details: { fix: 'install-whisper-model' },
    });
  });
});

describe('defaultWhisperModel', () => {
  it('takes the defaultModel setting, else the first ready Whisper model', () => {
    expect(defaultWhisperModel(engine.models, engine.settings)).toBe('tiny-random');
    bare.settings.update({ defaultModel: 'whisper-base' });
    expect(() => defaultWhisperModel(bare.models, bare.settings)).toThrow(
      /Model "whisper-base" is not installed/,
    );
  });
});
