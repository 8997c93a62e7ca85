import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './create-engine';
import type { EngineError } from './errors';
import { isEngineError } from './errors';

let dataDir: string;
const open: Engine[] = [];
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'studio-lock-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((engine) => engine.shutdown()));
  rmSync(dataDir, { recursive: true, force: true });
});

const start = (options: Partial<Parameters<typeof createEngine>[0]> = {}) => {
  const engine = createEngine({ dataDir, ...options });
  open.push(engine);
  return engine;
};

const refusal = (run: () => unknown): EngineError => {
  try {
    run();
  } catch (error) {
    if (isEngineError(error)) return error;
    throw error;
  }
  throw new Error('the second engine started');
};

describe('one engine per data folder', () => {
  it('refuses a second engine on the folder, naming the first (what it is, its pid)', () => {
    start({ owner: 'serve' });
    const error = refusal(() => start());
    expect(error.code).toBe('ENGINE_BUSY');
    expect(error.message).toContain(dataDir);
    expect(error.message).toContain(`serve (pid ${process.pid}`);
    expect(error.details).toMatchObject({ dataDir, pid: process.pid, kind: 'serve' });
  });

  it('names the port once the first one says it listens', () => {
    const first = start({ owner: 'serve' });
    first.folderLock?.update({ port: 8771, url: 'http://127.0.0.1:8771' });
    const error = refusal(() => start());
    expect(error.message).toContain('port 8771');
    expect(error.message).toContain('http://127.0.0.1:8771');
    expect(error.details).toMatchObject({ port: 8771 });
  });

  it('frees the folder when the engine shuts down', async () => {
    const first = start();
    await first.shutdown();
    const second = start();
    expect(second.state).toBe('running');
  });

  it('lets a shared engine (short CLI tools) open the library beside it, but not run jobs', async () => {
    const owner = start({ owner: 'serve' });
    const token = owner.tokens.createToken({ scopes: ['read'] });
    const tool = start({ shared: true });
    expect(tool.tokens.verify(token.token)).toMatchObject({ id: token.id });
    expect(tool.folderLock).toBeUndefined();
    await expect(tool.leftoversSwept).resolves.toEqual([]);
    await expect(tool.jobs.start()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // The shared one holds nothing: the owner's lock stays, and closing the tool keeps it.
    await tool.shutdown();
    expect(refusal(() => start()).code).toBe('ENGINE_BUSY');
  });
});
