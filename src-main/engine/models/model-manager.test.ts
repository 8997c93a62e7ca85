import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isEngineError, type EngineError } from '../errors';
import { openDatabase, type Db } from '../store/database';
import { createModelsRepo, type ModelsRepo } from '../store/models-repo';
import type { Catalog } from './catalog';
import { partialPath } from './downloader';
import {
  fixturePayload,
  startFixtureServer,
  type FixtureServer,
} from './__fixtures__/fixture-server';
import { createModelManager, type ModelEvent, type ModelManager } from './model-manager';
import { engineRejection } from '../test-support/engine-rejection';
import { testModels } from '../whisper/__fixtures__/whisper-fixtures';

const size = 2 * 1024 * 1024 + 77;
let server: FixtureServer;
let dir: string;
let modelsDir: string;
let db: Db;
let repo: ModelsRepo;
let manager: ModelManager;
let events: ModelEvent[];

function testCatalog(): Catalog {
  const entry = {
    kind: 'whisper' as const,
    description: 'Fixture model',
    sizeBytes: size,
    sha256: server.sha256,
    license: 'MIT',
    languages: ['en'],
  };
  return {
    version: 1,
    models: [
      { ...entry, id: 'test-whisper', name: 'Test Whisper', url: server.url, fileName: 'test.bin' },
      {
        ...entry,
        id: 'test-missing',
        name: 'Not on the server',
        url: `${server.origin}/missing.bin`,
        fileName: 'missing.bin',
        sha256: 'a'.repeat(64),
      },
    ],
  };
}

const create = () =>
  createModelManager({ catalog: testCatalog(), modelsDir, repo, stallTimeoutMs: 5_000 });

beforeAll(async () => {
  server = await startFixtureServer(fixturePayload(size, 7, true));
});
afterAll(() => server.close());

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-manager-'));
  modelsDir = join(dir, 'models');
  db = openDatabase(':memory:');
  repo = createModelsRepo(db);
  manager = create();
  events = [];
  manager.onEvent((event) => events.push(event));
  server.requests.length = 0;
  for (const key of Object.keys(server.behaviour))
    delete server.behaviour[key as keyof typeof server.behaviour];
});
afterEach(async () => {
  manager.dispose();
  db.close();
  await rm(dir, { recursive: true, force: true });
});

function thrown(action: () => unknown): EngineError {
  try {
    action();
  } catch (error) {
    if (isEngineError(error)) return error;
    throw error;
  }
  throw new Error('expected an EngineError');
}

const dest = () => join(modelsDir, 'test.bin');

describe('download', () => {
  it('downloads a catalog model, records it ready and reports progress', async () => {
    server.behaviour.chunkDelayMs = 5;
    expect(manager.get('test-whisper')).toMatchObject({
      status: 'missing',
      path: null,
      partialBytes: 0,
    });

    const status = await manager.download('test-whisper');

    expect(status).toMatchObject({
      id: 'test-whisper',
      source: 'catalog',
      status: 'ready',
      path: dest(),
    });
    expect((await readFile(dest())).equals(server.payload)).toBe(true);
    expect(existsSync(partialPath(dest()))).toBe(false);
    expect(repo.get('test-whisper')).toMatchObject({
      status: 'ready',
      sha256: server.sha256,
      source: 'download',
    });
    expect(manager.resolvePath('test-whisper')).toBe(dest());

    expect(events[0]).toMatchObject({ type: 'model', id: 'test-whisper', status: 'downloading' });
    expect(events.at(-1)).toEqual({ type: 'model', id: 'test-whisper', status: 'ready' });
    const received = events.flatMap((event) =>
      event.progress ? [event.progress.receivedBytes] : [],
    );
    expect(received.length).toBeGreaterThan(2);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(received.at(-1)).toBe(size);
  });

  it('resolves at once for a model that is already ready', async () => {
    await manager.download('test-whisper');
    server.requests.length = 0;
    expect(await manager.download('test-whisper')).toMatchObject({ status: 'ready' });
    expect(server.requests).toHaveLength(0);
  });

  it('keeps an interrupted download and resumes it', async () => {
    server.behaviour.dropAfter = 700_000;
    const error = await engineRejection(manager.download('test-whisper'));
    expect(error.code).toBe('MODEL_DOWNLOAD_FAILED');
    expect(error.message).toContain('partial download is kept and will resume');
    const partialBytes = (await stat(partialPath(dest()))).size;
    expect(partialBytes).toBeGreaterThan(0);
    expect(manager.get('test-whisper')).toMatchObject({ status: 'missing', partialBytes });

    delete server.behaviour.dropAfter;
    expect(await manager.download('test-whisper')).toMatchObject({
      status: 'ready',
      partialBytes: 0,
    });
    expect(server.requests[1]).toMatchObject({
      range: `bytes=${partialBytes}-`,
      bytesSent: size - partialBytes,
    });
    expect((await readFile(dest())).equals(server.payload)).toBe(true);
  });

  it('records a checksum mismatch as corrupt and clears it on a good retry', async () => {
    server.behaviour.corrupt = true;
    const error = await engineRejection(manager.download('test-whisper'));
    expect(error.code).toBe('MODEL_CHECKSUM_MISMATCH');
    const status = manager.get('test-whisper');
    expect(status).toMatchObject({ status: 'corrupt', path: null, error: error.message });
    expect(status?.error).toMatch(/does not match its catalog checksum/);
    expect(events.at(-1)).toMatchObject({ status: 'corrupt', error: error.message });
    expect(thrown(() => manager.resolvePath('test-whisper')).message).toMatch(
      /failed verification/,
    );

    delete server.behaviour.corrupt;
    expect(await manager.download('test-whisper')).toMatchObject({ status: 'ready', error: null });
  });

  it('reports MODEL_OFFLINE when the server is gone', async () => {
    const gone = await startFixtureServer(Buffer.from('x'));
    await gone.close();
    const offline = createModelManager({
      catalog: { version: 1, models: [{ ...testCatalog().models[0]!, url: gone.url }] },
      modelsDir,
      repo,
    });
    const error = await engineRejection(offline.download('test-whisper'));
    expect(error.code).toBe('MODEL_OFFLINE');
    expect(error.message).toMatch(/^Cannot reach 127\.0\.0\.1:\d+ .*check your connection/);
    expect(offline.get('test-whisper')?.status).toBe('missing');
    offline.dispose();
  });

  it('cancels a running download and keeps its partial', async () => {
    server.behaviour.chunkDelayMs = 10;
    const download = manager.download('test-whisper');
    await new Promise<void>((resolve) => {
      manager.onEvent((event) => {
        if ((event.progress?.receivedBytes ?? 0) > 200_000) resolve();
      });
    });
    expect(manager.get('test-whisper')?.status).toBe('downloading');
    expect(manager.cancel('test-whisper')).toBe(true);

    const error = await engineRejection(download);
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toContain('partial download is kept');
    const partialBytes = (await stat(partialPath(dest()))).size;
    expect(partialBytes).toBeGreaterThan(200_000);
    expect(manager.get('test-whisper')).toMatchObject({
      status: 'missing',
      partialBytes,
      progress: null,
    });
    expect(events.at(-1)).toEqual({ type: 'model', id: 'test-whisper', status: 'missing' });
    expect(manager.cancel('test-whisper')).toBe(false);
  });

  it('refuses a second download of the same model with MODEL_BUSY', async () => {
    server.behaviour.chunkDelayMs = 5;
    const first = manager.download('test-whisper');
    const error = await engineRejection(manager.download('test-whisper'));
    expect(error.code).toBe('MODEL_BUSY');
    await first;
    expect(server.requests).toHaveLength(1);
  });

  it('explains an HTTP 404', async () => {
    const error = await engineRejection(manager.download('test-missing'));
    expect(error.code).toBe('MODEL_DOWNLOAD_FAILED');
    expect(error.message).toContain('HTTP 404');
    expect(manager.get('test-missing')?.status).toBe('missing');
  });

  it('rejects an id that is not in the catalog', async () => {
    const error = await engineRejection(manager.download('nope'));
    expect(error.code).toBe('MODEL_UNKNOWN');
    expect(error.message).toContain('"nope" is not in the model catalog');
  });

  it('adopts a verified file that has no record without downloading', async () => {
    await mkdir(modelsDir, { recursive: true });
    await writeFile(dest(), server.payload);
    expect(await manager.download('test-whisper')).toMatchObject({ status: 'ready' });
    expect(server.requests).toHaveLength(0);
  });

  it('cancels downloads on dispose and refuses new ones', async () => {
    server.behaviour.chunkDelayMs = 20;
    const download = manager.download('test-whisper');
    manager.dispose();
    expect((await engineRejection(download)).code).toBe('CANCELLED');
    expect((await engineRejection(manager.download('test-whisper'))).code).toBe('SHUTTING_DOWN');
  });
});

describe('importFile', () => {
  it('turns a file matching a catalog checksum into that catalog model', async () => {
    const src = join(dir, 'whatever-name.bin');
    await writeFile(src, server.payload);
    await mkdir(modelsDir, { recursive: true });
    await writeFile(partialPath(dest()), 'stale');

    const status = await manager.importFile(src);

    expect(status).toMatchObject({
      id: 'test-whisper',
      source: 'catalog',
      status: 'ready',
      path: dest(),
    });
    expect(repo.get('test-whisper')).toMatchObject({ source: 'import', sha256: server.sha256 });
    expect(existsSync(src)).toBe(true);
    expect(existsSync(partialPath(dest()))).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'model', id: 'test-whisper', status: 'ready' });
  });

  it('imports an unknown ggml file under an id from its file name', async () => {
    const src = join(dir, 'My Custom.Model.bin');
    await writeFile(src, fixturePayload(5000, 99, true));
    const status = await manager.importFile(src);
    expect(status).toMatchObject({
      id: 'my-custom.model',
      kind: 'whisper',
      source: 'import',
      status: 'ready',
      sizeBytes: 5000,
      path: join(modelsDir, 'imported', 'my-custom.model.bin'),
    });
    // Installed models come first, then the rest of the catalog in catalog order.
    expect(manager.list().map((model) => model.id)).toEqual([
      'my-custom.model',
      'test-whisper',
      'test-missing',
    ]);
    expect(manager.resolvePath('my-custom.model')).toBe(status.path);
  });

  it('imports a non-whisper kind without the ggml check and remembers the kind', async () => {
    const src = join(dir, 'vad.onnx');
    await writeFile(src, fixturePayload(3000, 5));
    await manager.importFile(src, { id: 'my-vad', kind: 'vad' });
    expect(create().get('my-vad')).toMatchObject({ kind: 'vad', status: 'ready' });
  });

  it('refuses a whisper file without the ggml magic and leaves nothing behind', async () => {
    const src = join(dir, 'garbage.bin');
    await writeFile(src, fixturePayload(5000, 3));
    const error = await engineRejection(manager.importFile(src));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain(
      'is not a whisper.cpp model: it does not start with the ggml magic',
    );
    expect(readdirSync(modelsDir)).toEqual([]);
    expect(manager.list()).toHaveLength(2);
  });

  it('refuses a missing or empty file', async () => {
    const missing = await engineRejection(manager.importFile(join(dir, 'nope.bin')));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('There is no file at');

    const empty = join(dir, 'empty.bin');
    await writeFile(empty, '');
    const error = await engineRejection(manager.importFile(empty));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('is empty (0 bytes)');
  });

  it('refuses a file claimed to be a catalog model whose checksum differs', async () => {
    const src = join(dir, 'other.bin');
    await writeFile(src, fixturePayload(4000, 11, true));
    const error = await engineRejection(manager.importFile(src, { id: 'test-whisper' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('is not the catalog model "test-whisper"');
    expect(manager.get('test-whisper')?.status).toBe('missing');
  });
});

describe('delete, verify, resolvePath and startup', () => {
  it('deletes the file and record, then reports NOT_FOUND', async () => {
    await manager.download('test-whisper');
    await manager.delete('test-whisper');
    expect(existsSync(dest())).toBe(false);
    expect(repo.get('test-whisper')).toBeUndefined();
    expect(manager.get('test-whisper')?.status).toBe('missing');
    expect(events.at(-1)).toEqual({ type: 'model', id: 'test-whisper', status: 'missing' });

    const error = await engineRejection(manager.delete('test-whisper'));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('deletes a lone partial download', async () => {
    server.behaviour.dropAfter = 100_000;
    await manager.download('test-whisper').catch(() => undefined);
    expect(manager.get('test-whisper')?.partialBytes).toBeGreaterThan(0);
    await manager.delete('test-whisper');
    expect(existsSync(partialPath(dest()))).toBe(false);
    expect(manager.get('test-whisper')?.partialBytes).toBe(0);
  });

  it('cancels a running download before deleting its partial', async () => {
    server.behaviour.chunkDelayMs = 10;
    const download = manager.download('test-whisper');
    await new Promise<void>((resolve) =>
      manager.onEvent((event) => (event.progress?.receivedBytes ?? 0) > 0 && resolve()),
    );
    await manager.delete('test-whisper');
    expect((await engineRejection(download)).code).toBe('CANCELLED');
    expect(existsSync(partialPath(dest()))).toBe(false);
    expect(manager.get('test-whisper')).toMatchObject({ status: 'missing', partialBytes: 0 });
  });

  it('removes an imported model from the list', async () => {
    const src = join(dir, 'mine.bin');
    await writeFile(src, fixturePayload(5000, 8, true));
    const { path } = await manager.importFile(src);
    await manager.delete('mine');
    expect(existsSync(path as string)).toBe(false);
    expect(manager.get('mine')).toBeUndefined();
  });

  it('verify marks a damaged file corrupt', async () => {
    await manager.download('test-whisper');
    expect(await manager.verify('test-whisper')).toMatchObject({ status: 'ready' });

    await writeFile(dest(), 'tampered');
    const status = await manager.verify('test-whisper');
    expect(status).toMatchObject({ status: 'corrupt', path: dest() });
    expect(status.error).toMatch(/no longer matches its checksum/);
    expect(thrown(() => manager.resolvePath('test-whisper')).code).toBe('MODEL_NOT_READY');
  });

  it('resolvePath names the model and the remedy (download it) for a missing model', () => {
    const error = thrown(() => manager.resolvePath('test-whisper'));
    expect(error.code).toBe('MODEL_NOT_READY');
    expect(error.message).toBe('Model "test-whisper" is not installed.');
    expect(error.details).toMatchObject({ modelId: 'test-whisper', fix: 'download-model' });
    expect(thrown(() => manager.resolvePath('nope')).code).toBe('MODEL_UNKNOWN');
  });

  it('forgets a ready record whose file vanished', async () => {
    await manager.download('test-whisper');
    manager.dispose();
    await rm(dest());
    manager = create();
    expect(repo.get('test-whisper')).toBeUndefined();
    expect(manager.get('test-whisper')).toMatchObject({ status: 'missing', path: null });
  });

  it('isolates a listener that throws', async () => {
    manager.onEvent(() => {
      throw new Error('listener bug');
    });
    expect(await manager.download('test-whisper')).toMatchObject({ status: 'ready' });
  });

  it('stops delivering events after unsubscribe', async () => {
    const seen: ModelEvent[] = [];
    const unsubscribe = manager.onEvent((event) => seen.push(event));
    unsubscribe();
    await manager.download('test-whisper');
    expect(seen).toEqual([]);
    expect(events.length).toBeGreaterThan(0);
  });
});

/** whisper.cpp's for-tests files of other sizes, beside the ones whisper-fixtures names. */
const testHeader = (name: string) => join(dirname(testModels.tiny), `for-tests-ggml-${name}.bin`);

describe('the last download error', () => {
  it('keeps an offline failure in the status, events and list until a new download starts', async () => {
    const gone = await startFixtureServer(Buffer.from('x'));
    await gone.close();
    const offline = createModelManager({
      catalog: { version: 1, models: [{ ...testCatalog().models[0]!, url: gone.url }] },
      modelsDir,
      repo,
    });
    const seen: ModelEvent[] = [];
    offline.onEvent((event) => seen.push(event));
    const error = await engineRejection(offline.download('test-whisper'), 'MODEL_OFFLINE');

    const status = offline.get('test-whisper');
    expect(status).toMatchObject({ status: 'missing', error: error.message });
    expect(status?.lastError).toEqual({
      code: 'MODEL_OFFLINE',
      message: error.message,
      details: expect.objectContaining({ url: gone.url }) as unknown,
    });
    expect(offline.list()[0]?.lastError?.code).toBe('MODEL_OFFLINE');
    expect(seen.at(-1)).toMatchObject({ status: 'missing', error: error.message });

    // A new download clears it while it runs, and the new failure replaces it.
    const again = offline.download('test-whisper');
    expect(offline.get('test-whisper')).toMatchObject({ status: 'downloading', lastError: null });
    await engineRejection(again, 'MODEL_OFFLINE');
    expect(offline.get('test-whisper')?.lastError?.code).toBe('MODEL_OFFLINE');
    offline.dispose();
  });

  it('is cleared when the model is installed, and a cancel is not an error', async () => {
    server.behaviour.status = 503;
    const failed = await engineRejection(manager.download('test-whisper'), 'MODEL_DOWNLOAD_FAILED');
    expect(manager.get('test-whisper')?.lastError).toMatchObject({
      code: 'MODEL_DOWNLOAD_FAILED',
      message: failed.message,
    });
    delete server.behaviour.status;
    expect(await manager.download('test-whisper')).toMatchObject({
      status: 'ready',
      error: null,
      lastError: null,
    });

    await manager.delete('test-whisper');
    server.behaviour.chunkDelayMs = 10;
    const download = manager.download('test-whisper');
    await new Promise<void>((resolve) => {
      manager.onEvent((event) => {
        if (event.progress && event.progress.receivedBytes > 0) resolve();
      });
    });
    manager.cancel('test-whisper');
    await engineRejection(download, 'CANCELLED');
    expect(manager.get('test-whisper')).toMatchObject({ status: 'missing', lastError: null });
  });

  it('is cleared by importing the model', async () => {
    server.behaviour.status = 503;
    await engineRejection(manager.download('test-whisper'), 'MODEL_DOWNLOAD_FAILED');
    delete server.behaviour.status;
    const src = join(dir, 'downloaded-by-hand.bin');
    await writeFile(src, server.payload);
    expect(await manager.importFile(src)).toMatchObject({
      id: 'test-whisper',
      status: 'ready',
      lastError: null,
    });
  });
});

describe('imported whisper files', () => {
  it('read their language and size class from the header and get a readable name', async () => {
    const english = await manager.importFile(testHeader('base.en'));
    expect(english).toMatchObject({
      id: 'for-tests-ggml-base.en',
      name: 'Imported · base (English) · for-tests-ggml-base.en.bin',
      languages: ['en'],
      family: 'base',
    });
    const multilingual = await manager.importFile(testHeader('small'));
    expect(multilingual).toMatchObject({
      name: 'Imported · small (multilingual) · for-tests-ggml-small.bin',
      languages: ['multi'],
      family: 'small',
    });
    expect(await manager.importFile(testHeader('medium.en'))).toMatchObject({
      languages: ['en'],
      family: 'medium',
    });

    // A restarted manager reads the headers again (asynchronously, at start).
    const restarted = create();
    await restarted.headersRead;
    expect(restarted.get('for-tests-ggml-base.en')?.languages).toEqual(['en']);
    expect(restarted.get('for-tests-ggml-small')).toMatchObject({ family: 'small' });
    restarted.dispose();
  });

  it('are listed first, before the catalog rows that are not installed', async () => {
    await manager.importFile(testHeader('tiny.en'));
    await manager.download('test-whisper');
    expect(manager.list().map((m) => [m.id, m.status])).toEqual([
      ['test-whisper', 'ready'],
      ['for-tests-ggml-tiny.en', 'ready'],
      ['test-missing', 'missing'],
    ]);
  });
});
