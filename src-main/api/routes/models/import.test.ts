import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse } from '../../../contract/errors';
import type { ModelStatus } from '../../../contract/models';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { dataLayout } from '../../../engine/paths';
import { testModels } from '../../../engine/whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../../../engine/whisper/test-model/make-test-model';
import { startServer, type RunningServer } from '../../server';

const work = mkdtempSync(join(tmpdir(), 'studio-model-import-'));
let engine: Engine;
let server: RunningServer;
let admin: Record<string, string>;

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  server = await startServer({ engine });
  admin = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
}, 60_000);
afterAll(async () => {
  await server.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const importJson = (body: object, headers = admin) =>
  fetch(`${server.url}/v1/models/import`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

function importUpload(content: Buffer, filename: string, id?: string) {
  const form = new FormData();
  if (id) form.append('id', id);
  form.append('file', new Blob([content]), filename);
  return fetch(`${server.url}/v1/models/import`, { method: 'POST', body: form, headers: admin });
}

/** Nothing of an upload may stay behind in the engine's temp folder. */
const leftovers = () => {
  const temp = dataLayout(engine.dataDir).temp;
  return existsSync(temp) ? readdirSync(temp) : [];
};

describe('POST /v1/models/import', () => {
  it('imports a synthetic whisper model by path, ready to use', async () => {
    const model = await ensureTestModel('tiny', 1);
    const response = await importJson({ path: model.path, id: 'tiny-random' });
    expect(response.status).toBe(201);
    const status = (await response.json()) as ModelStatus;
    expect(status).toMatchObject({
      id: 'tiny-random',
      kind: 'whisper',
      source: 'import',
      status: 'ready',
      sizeBytes: model.bytes,
    });
    expect(readFileSync(status.path!).length).toBe(model.bytes);
    expect(engine.models.get('tiny-random')?.status).toBe('ready');
  }, 120_000);

  it('imports an uploaded model, named after the file unless an id is given', async () => {
    const bytes = readFileSync(testModels.tiny);
    const named = await importUpload(bytes, 'for-tests-ggml-tiny.bin');
    expect(named.status).toBe(201);
    expect(await named.json()).toMatchObject({ id: 'for-tests-ggml-tiny', status: 'ready' });
    const withId = await importUpload(bytes, 'whatever.bin', 'my-tiny');
    expect(withId.status).toBe(201);
    expect(await withId.json()).toMatchObject({ id: 'my-tiny', sizeBytes: bytes.length });
    expect(leftovers()).toEqual([]);
  });

  it('refuses a file that is no model, a bad id, a relative or missing path with 4xx', async () => {
    const text = join(work, 'notes.bin');
    writeFileSync(text, 'these are notes, not a model\n');
    for (const [body, status, pattern] of [
      [{ path: text }, 400, /not a whisper\.cpp model/],
      [{ path: testModels.tiny, id: 'Bad Id!' }, 400, /not a valid model id/],
      [{ path: 'models/ggml-tiny.bin' }, 400, /absolute path/],
      [{ path: 'C:/../../models/ggml-tiny.bin' }, 400, /not an absolute path on the machine/],
      [{ path: join(work, 'missing.bin') }, 404, /no file at/],
      [{}, 400, /path/],
    ] as const) {
      const response = await importJson(body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(((await response.json()) as ErrorResponse).error.message).toMatch(pattern);
    }
    const upload = await importUpload(Buffer.from('not a model either'), 'fake.bin');
    expect(upload.status).toBe(400);
    expect(((await upload.json()) as ErrorResponse).error.message).toMatch(/ggml magic/);
    expect(engine.models.get('fake')).toBeUndefined();
    expect(engine.models.get('notes')).toBeUndefined();
    expect(leftovers()).toEqual([]);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('needs the admin scope', async () => {
    const transcriber = {
      authorization: `Bearer ${engine.tokens.createToken({ scopes: ['transcribe', 'read'] }).token}`,
    };
    expect((await importJson({ path: testModels.tiny }, transcriber)).status).toBe(403);
  });
});
