/**
 * The real addon (no mocks): model loading, its failures and freeing. Needs `npm run build:native`.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isEngineError, type EngineError } from '../errors';
import { freeModel, loadModel, systemInfo, transcribe } from './addon';
import { whisperLanguages } from './languages';
import { readWav16kMono, speech, testModels } from './__fixtures__/whisper-fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'studio-whisper-addon-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function loadFailure(path: string): Promise<EngineError> {
  const error: unknown = await loadModel({ path }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isEngineError(error, 'MODEL_LOAD_FAILED'), String(error)).toBe(true);
  return error as EngineError;
}

describe('systemInfo and languages', () => {
  it('reports the whisper.cpp version, the CPU backend and its memory', () => {
    const info = systemInfo();
    expect(info.whisperVersion).toBe('1.9.1');
    expect(info.features).toMatch(/CPU :/);
    expect(info.backends).toContain('CPU');
    const cpu = info.devices.find((d) => d.type === 'cpu');
    expect(cpu?.memoryTotal).toBeGreaterThan(0);
    expect(cpu?.memoryFree).toBeGreaterThan(0);
  });

  it('lists whisper.cpp languages', () => {
    const languages = whisperLanguages();
    expect(languages[0]).toEqual({ id: 0, code: 'en', name: 'english' });
    expect(languages.find((l) => l.code === 'de')?.name).toBe('german');
    expect(languages.length).toBeGreaterThanOrEqual(99);
  });
});

describe('loadModel', () => {
  it('loads a model on a worker thread and describes it', async () => {
    const ctx = await loadModel({ path: testModels.tinyEn });
    expect(ctx.info).toMatchObject({
      type: 'tiny',
      multilingual: false,
      hasWeights: false,
      audioLayers: 4,
      mels: 80,
    });
    expect(ctx.freed).toBe(false);
    freeModel(ctx);
    expect(ctx.freed).toBe(true);

    const multi = await loadModel({ path: testModels.tiny, dtw: true });
    expect(multi.info).toMatchObject({ type: 'tiny', multilingual: true, dtw: 'tiny' });
    freeModel(multi);
  });

  it('rejects a missing file clearly', async () => {
    const error = await loadFailure(join(tmp, 'nope.bin'));
    expect(error.message).toMatch(/not found/);
    expect(error.details).toMatchObject({ reason: 'missing' });
  });

  it('rejects a truncated model (which whisper.cpp alone would load as empty)', async () => {
    const file = join(tmp, 'truncated.bin');
    writeFileSync(file, readFileSync(testModels.tinyEn).subarray(0, 1000));
    const error = await loadFailure(file);
    expect(error.message).toMatch(/truncated/);
    expect(error.details).toMatchObject({ reason: 'truncated' });

    const midVocabulary = join(tmp, 'truncated-vocab.bin');
    writeFileSync(midVocabulary, readFileSync(testModels.tinyEn).subarray(0, 200_000));
    expect((await loadFailure(midVocabulary)).message).toMatch(/vocabulary/);
  });

  it('rejects files that are not models, saying what they are', async () => {
    const wav = await loadFailure(speech.jfk);
    expect(wav.message).toMatch(/not a ggml Whisper model \(magic 0x46464952/);
    expect(wav.details).toMatchObject({ reason: 'bad-magic' });

    const empty = join(tmp, 'empty.bin');
    writeFileSync(empty, '');
    expect((await loadFailure(empty)).message).toMatch(/too small/);

    const gguf = join(tmp, 'model.gguf');
    writeFileSync(gguf, Buffer.from('GGUF\x03\x00\x00\x00', 'latin1'));
    expect((await loadFailure(gguf)).message).toMatch(/GGUF/);

    const garbage = join(tmp, 'garbage.bin');
    const bytes = Buffer.alloc(64, 0xff);
    bytes.writeUInt32LE(0x67676d6c, 0);
    writeFileSync(garbage, bytes);
    expect((await loadFailure(garbage)).details).toMatchObject({ reason: 'invalid' });

    expect((await loadFailure(tmp)).details).toMatchObject({ reason: 'unreadable' });
  });

  it('keeps the process alive and working after failures', async () => {
    const copy = join(tmp, 'copy.bin');
    copyFileSync(testModels.tinyEn, copy);
    const ctx = await loadModel({ path: copy });
    const result = await transcribe(ctx, readWav16kMono(speech.jfk).subarray(0, 16_000), {
      threads: 1,
    });
    expect(result.segments).toBeInstanceOf(Array);
    freeModel(ctx);
  });

  it('validates options before loading', async () => {
    await expect(loadModel({ path: testModels.tiny, gpuDevice: -1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      loadModel({ path: testModels.tiny, dtw: true, flashAttn: true }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('honours an abort signal', async () => {
    await expect(
      loadModel({ path: testModels.tiny, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    const controller = new AbortController();
    const pending = loadModel({ path: testModels.tiny, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('freeModel', () => {
  it('is a no-op the second time, and a freed model refuses work clearly', async () => {
    const ctx = await loadModel({ path: testModels.tinyEn });
    freeModel(ctx);
    expect(() => freeModel(ctx)).not.toThrow();
    await expect(transcribe(ctx, new Float32Array(16_000))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/freed/),
    });
  });

  it('rejects objects that are not contexts', () => {
    expect(() => freeModel({ path: 'x', info: {} } as never)).toThrow(/WhisperContext/);
  });
});
