import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEngineError, type EngineError } from '../errors';
import { defaultCatalogPath, loadCatalog } from './catalog';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'catalog-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const entry = (overrides: Record<string, unknown> = {}) => ({
  id: 'whisper-base',
  kind: 'whisper',
  name: 'Whisper Base',
  description: 'Small and fast.',
  url: 'https://example.com/ggml-base.bin',
  fileName: 'ggml-base.bin',
  sizeBytes: 147_951_465,
  sha256: '0'.repeat(63) + 'a',
  license: 'MIT',
  languages: ['multi'],
  ...overrides,
});

async function write(data: unknown): Promise<string> {
  const file = join(dir, 'catalog.json');
  await writeFile(file, typeof data === 'string' ? data : JSON.stringify(data));
  return file;
}

function loadError(file: string): EngineError {
  try {
    loadCatalog(file);
  } catch (error) {
    if (isEngineError(error)) return error;
    throw error;
  }
  throw new Error('expected loadCatalog to throw');
}

describe('loadCatalog', () => {
  it('loads a valid catalog with optional fields', async () => {
    const vad = entry({
      id: 'silero-vad-v6.2.0',
      kind: 'vad',
      fileName: 'silero.onnx',
      languages: [],
      licenseUrl: 'https://example.com/license',
      memoryMb: 20,
      recommended: true,
    });
    const catalog = loadCatalog(
      await write({ version: 1, models: [entry({ family: 'base', quantization: 'q5_0' }), vad] }),
    );
    expect(catalog.models.map((model) => model.id)).toEqual(['whisper-base', 'silero-vad-v6.2.0']);
    expect(catalog.models[1]).toMatchObject({ kind: 'vad', recommended: true, memoryMb: 20 });
  });

  it('names the bad entry and field', async () => {
    const file = await write({
      version: 1,
      models: [entry({ id: 'fine', fileName: 'fine.bin' }), entry({ sha256: 'ABC' })],
    });
    const error = loadError(file);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain(`The model catalog ${file} is invalid`);
    expect(error.message).toContain(
      'models[1] ("whisper-base").sha256: must be 64 lowercase hex characters',
    );
    expect(error.message).not.toContain('models[0]');
  });

  it.each([
    ['a missing field', { name: undefined }, 'models[0] ("whisper-base").name'],
    ['a remote http URL', { url: 'http://example.com/x.bin' }, '.url: must be an https URL'],
    ['a file URL', { url: 'file:///etc/passwd' }, '.url: must be an https URL'],
    ['an unknown kind', { kind: 'tts' }, '.kind'],
    ['a zero size', { sizeBytes: 0 }, '.sizeBytes'],
    ['a path as file name', { fileName: '../evil.bin' }, '.fileName: must be a bare file name'],
    ['a bad language', { languages: ['english'] }, '.languages.0'],
  ])('rejects %s', async (_, overrides, expected) => {
    const error = loadError(await write({ version: 1, models: [entry(overrides)] }));
    expect(error.message).toContain(expected);
  });

  it('accepts plain http only on loopback', async () => {
    const file = await write({
      version: 1,
      models: [entry({ url: 'http://127.0.0.1:8080/ggml-base.bin' })],
    });
    expect(loadCatalog(file).models[0]?.url).toBe('http://127.0.0.1:8080/ggml-base.bin');
  });

  it('rejects duplicate ids', async () => {
    const file = await write({ version: 1, models: [entry(), entry({ fileName: 'other.bin' })] });
    expect(loadError(file).message).toContain(
      'models[1] ("whisper-base").id: duplicate id "whisper-base"',
    );
  });

  it('rejects an unknown version, bad JSON and a missing file', async () => {
    expect(loadError(await write({ version: 2, models: [] })).message).toContain('version');
    const badJson = loadError(await write('{ "version": 1,'));
    expect(badJson.code).toBe('INVALID_ARGUMENT');
    expect(badJson.message).toContain('is not valid JSON');
    expect(loadError(join(dir, 'none.json')).code).toBe('NOT_FOUND');
  });
});

describe('defaultCatalogPath', () => {
  it('points at models/catalog.json in the repository root', () => {
    expect(defaultCatalogPath()).toBe(resolve('models/catalog.json'));
  });

  it.skipIf(!existsSync(defaultCatalogPath()))('the shipped catalog is valid', () => {
    expect(loadCatalog(defaultCatalogPath()).models.length).toBeGreaterThan(0);
  });
});
