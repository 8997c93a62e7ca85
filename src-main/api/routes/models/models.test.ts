import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  modelList,
  modelRecommendation,
  modelStatus,
  type ModelStatus,
} from '../../../contract/models';
import { systemInfo } from '../../../contract/system';
import { defaultCatalogPath } from '../../../engine/models/catalog';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { testModels } from '../../../engine/whisper/__fixtures__/whisper-fixtures';
import { startServer, type RunningServer } from '../../server';

const work = mkdtempSync(join(tmpdir(), 'studio-models-api-'));
let engine: Engine;
let server: RunningServer;
let admin: Record<string, string>;
let closedPort: number;

/** A port nothing listens on: bound, then closed. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  // The shipped catalog with every download pointing at a closed loopback port: "offline".
  closedPort = await freePort();
  const catalog = JSON.parse(readFileSync(defaultCatalogPath(), 'utf8')) as {
    models: { url: string; fileName: string }[];
  };
  for (const model of catalog.models) {
    model.url = `http://127.0.0.1:${closedPort}/${model.fileName}`;
  }
  const catalogPath = join(work, 'catalog.json');
  writeFileSync(catalogPath, JSON.stringify(catalog));
  engine = createEngine({ dataDir: join(work, 'data'), catalogPath });
  server = await startServer({ engine });
  admin = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
}, 60_000);
afterAll(async () => {
  await server.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const get = async (path: string) => {
  const response = await fetch(`${server.url}${path}`, { headers: admin });
  expect(response.status, path).toBe(200);
  return (await response.json()) as unknown;
};

describe('a failed download', () => {
  it('keeps its error, code and URL in GET /v1/models/:id until a new download starts', async () => {
    const response = await fetch(`${server.url}/v1/models/whisper-base.en/download`, {
      method: 'POST',
      headers: admin,
    });
    expect(response.status).toBe(202);
    let status: ModelStatus = modelStatus.parse(await get('/v1/models/whisper-base.en'));
    for (let i = 0; i < 100 && (status.status === 'downloading' || !status.lastError); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = modelStatus.parse(await get('/v1/models/whisper-base.en'));
    }
    expect(status.status).toBe('missing');
    expect(status.lastError).toMatchObject({
      code: 'MODEL_OFFLINE',
      details: { url: `http://127.0.0.1:${closedPort}/ggml-base.en.bin` },
    });
    expect(status.error).toBe(status.lastError?.message);
    expect(status.error).toMatch(new RegExp(`^Cannot reach 127\\.0\\.0\\.1:${closedPort} `));

    // Still there on a later read and in the list.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const list = modelList.parse(await get('/v1/models'));
    expect(list.models.find((m) => m.id === 'whisper-base.en')?.lastError?.code).toBe(
      'MODEL_OFFLINE',
    );
  });
});

describe('an imported whisper file', () => {
  it('is listed first, with a readable name and the language of its header', async () => {
    const englishBase = join(dirname(testModels.tinyEn), 'for-tests-ggml-base.en.bin');
    const response = await fetch(`${server.url}/v1/models/import`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ path: englishBase, id: 'my-base' }),
    });
    expect(response.status).toBe(201);
    const list = modelList.parse(await get('/v1/models'));
    expect(list.models[0]).toMatchObject({
      id: 'my-base',
      name: 'Imported · base (English) · my-base.bin',
      languages: ['en'],
      family: 'base',
      status: 'ready',
    });
    expect(list.models.slice(1).every((m) => m.status !== 'ready')).toBe(true);
  });
});

describe('GET /v1/models/recommendation', () => {
  it('recommends a catalog model that fits this machine, with the machine in the reason', async () => {
    const system = systemInfo.parse(await get('/v1/system'));
    const advice = modelRecommendation.parse(await get('/v1/models/recommendation?language=en'));
    const catalog = modelList.parse(await get('/v1/models')).models;
    const chosen = catalog.find((m) => m.id === advice.id);
    expect(chosen).toMatchObject({ kind: 'whisper', source: 'catalog', languages: ['en'] });
    expect(advice.machine).toMatchObject({
      cores: system.cpus,
      memoryMb: system.totalMemoryMb,
      threads: system.whisper.plan.threadsPerWorker,
    });
    const gpu = system.whisper.plan.useGpu;
    expect(advice.machine.gpu === null).toBe(!gpu);
    if (!gpu) {
      const cores = `${system.cpus} ${system.cpus === 1 ? 'core' : 'cores'}`;
      expect(advice.reason.startsWith(`${cores}, no GPU: ${chosen?.name} `)).toBe(true);
    }
    expect(advice.reason).toContain(
      `about ${Math.round(advice.speedFactor)}× faster than real time`,
    );
    // A machine with a handful of cores and no GPU does not get the 574 MB model.
    if (!gpu && system.cpus <= 4) expect(chosen?.sizeBytes).toBeLessThan(200 * 1024 ** 2);

    const multilingual = modelRecommendation.parse(
      await get('/v1/models/recommendation?language=auto'),
    );
    expect(catalog.find((m) => m.id === multilingual.id)?.languages).toEqual(['multi']);
  }, 90_000);

  it('is the model the list marks recommended (what "no Whisper model" errors suggest)', async () => {
    // The settings' default language (auto: multilingual) when the request names none.
    const advice = modelRecommendation.parse(await get('/v1/models/recommendation'));
    const starred = modelList
      .parse(await get('/v1/models'))
      .models.filter((m) => m.kind === 'whisper' && m.recommended);
    expect(starred.map((m) => m.id)).toEqual([advice.id]);
    expect(starred[0]?.languages).toEqual(['multi']);
  }, 90_000);

  it('refuses a language that is not a code', async () => {
    const response = await fetch(`${server.url}/v1/models/recommendation?language=French!`, {
      headers: admin,
    });
    expect(response.status).toBe(400);
  });
});
