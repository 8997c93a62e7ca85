// Fault test: the data folder's disk fills up under the library database. Needs a small tmpfs,
// which only root may mount (CI runs as root); elsewhere the test is skipped with a message.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/create-engine';
import { isEngineError } from '../engine/errors';
import { openDatabase } from '../engine/store/database';
import { buildApp } from './app';

const mountPoint = mkdtempSync(join(tmpdir(), 'studio-disk-full-'));
const mounted =
  process.platform === 'linux' &&
  spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]).status === 0;
if (!mounted) {
  rmSync(mountPoint, { recursive: true, force: true });
  console.warn(
    'disk-full.test.ts skipped: mounting a 4 MiB tmpfs needs root on Linux (run the tests as root, as CI does).',
  );
}

/** Writes `file` until the disk refuses with ENOSPC. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [256 * 1024, 4096, 512]) {
      const chunk = Buffer.alloc(size, 1);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!mounted)('a full disk under the library database', () => {
  const dataDir = join(mountPoint, 'data');
  const filler = join(mountPoint, 'filler');
  let engine: Engine;
  let app: FastifyInstance;
  let admin: { authorization: string };
  let reader: { authorization: string };

  beforeAll(async () => {
    engine = createEngine({ dataDir });
    app = await buildApp({ engine });
    admin = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
    const stored = engine.tokens.createToken({ name: 'script', scopes: ['read'] });
    reader = { authorization: `Bearer ${stored.token}` };
    // Last used long ago: its next request records the use (a write) before it reads.
    engine.repos.tokens.touch(stored.id, '2000-01-01T00:00:00.000Z');
  });
  afterAll(async () => {
    await app?.close();
    await engine?.shutdown();
    spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  const createToken = (name: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: admin,
      payload: { name, scopes: ['read'] },
    });

  it('refuses writes with 507 DISK_FULL naming the data folder, keeps answering reads, and writes again once space is freed', async () => {
    fillDisk(filler);
    // Each new token adds pages to the write-ahead log until one finds no room.
    let refused;
    for (let i = 0; i < 500 && !refused; i += 1) {
      const response = await createToken(`token ${i} ${'x'.repeat(80)}`);
      if (response.statusCode !== 201) refused = response;
    }
    expect(refused?.statusCode).toBe(507);
    const body = refused?.json<{ error: { code: string; message: string } }>();
    expect(body?.error.code).toBe('DISK_FULL');
    expect(body?.error.message).toContain(dataDir);
    expect(body?.error.message).toMatch(/free/i);

    // Reads still work, also with a stored token whose use cannot be recorded now.
    expect((await app.inject('/health')).statusCode).toBe(200);
    for (const headers of [admin, reader]) {
      const media = await app.inject({ url: '/v1/media', headers });
      expect(media.statusCode, media.body).toBe(200);
    }
    const tokens = await app.inject({ url: '/v1/tokens', headers: admin });
    expect(tokens.statusCode).toBe(200);

    rmSync(filler);
    const again = await createToken('after freeing space');
    expect(again.statusCode, again.body).toBe(201);
    const listed = tokens.json<{ tokens: { name: string | null }[] }>();
    const now = (await app.inject({ url: '/v1/tokens', headers: admin })).json<typeof listed>();
    expect(now.tokens.length).toBe(listed.tokens.length + 1);
  });

  it('turns a failing transaction into DISK_FULL too, for every caller of the library (jobs, CLI)', () => {
    const db = openDatabase(join(mountPoint, 'other', 'library.db'));
    try {
      db.exec('CREATE TABLE notes (text TEXT)');
      const insert = db.prepare('INSERT INTO notes VALUES (?)');
      const addMany = db.transaction((count: number) => {
        for (let i = 0; i < count; i += 1) insert.run('z'.repeat(3000));
      });
      fillDisk(filler);
      let failure: unknown;
      try {
        addMany(200);
      } catch (error) {
        failure = error;
      }
      expect(isEngineError(failure, 'DISK_FULL')).toBe(true);
      // Rolled back whole; reading (a chained statement) still works.
      expect(db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(0);
      rmSync(filler);
      addMany(5);
      expect(db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(5);
    } finally {
      db.close();
    }
  });
});
