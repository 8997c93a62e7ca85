import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import { openDatabase } from './database';
import { runMigrations, type Migration } from './migrate';
import { migrations } from './migrations';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-db-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('openDatabase', () => {
  it('creates the file in WAL mode with the latest schema', () => {
    const file = join(tempDir(), 'nested', 'library.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining(['jobs', 'media', 'models', 'settings', 'transcripts']),
    );
    db.close();
  });

  it('reopens an existing library without re-running migrations and keeps its data', () => {
    const file = join(tempDir(), 'library.db');
    const first = openDatabase(file);
    first.prepare("INSERT INTO settings (key, value) VALUES ('k', '1')").run();
    first.close();
    const second = openDatabase(file);
    expect(second.prepare("SELECT value FROM settings WHERE key = 'k'").pluck().get()).toBe('1');
    second.close();
  });

  it('refuses a library written by a newer build, saying what to do', () => {
    const file = join(tempDir(), 'library.db');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    let caught: unknown;
    try {
      openDatabase(file);
    } catch (error) {
      caught = error;
    }
    expect(isEngineError(caught, 'DATABASE_ERROR')).toBe(true);
    expect((caught as Error).message).toMatch(/schema version 999.*Update Transcription Studio/);
  });

  it('reports a data folder that cannot be created clearly', () => {
    // A file where the folder should be fails for every user, root included.
    const blocker = join(tempDir(), 'not-a-folder');
    writeFileSync(blocker, 'x');
    expect(() => openDatabase(join(blocker, 'library.db'))).toThrow(
      /Cannot open the library database .*not-a-folder.*writable/,
    );
  });

  it('reports a file that is not a database clearly', () => {
    const file = join(tempDir(), 'library.db');
    writeFileSync(file, 'this is not an sqlite database, just text '.repeat(200));
    expect(() => openDatabase(file)).toThrow(/could not be prepared.*move it aside/);
  });
});

describe('runMigrations', () => {
  it('applies each step atomically: a failing step leaves the previous version', () => {
    const db = new Database(':memory:');
    const steps: Migration[] = [
      { version: 1, name: 'a', up: (d) => d.exec('CREATE TABLE a (x)') },
      {
        version: 2,
        name: 'b',
        up: (d) => {
          d.exec('CREATE TABLE b (x)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => runMigrations(db, steps)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get()).toBe(0);
    expect(runMigrations(db, steps.slice(0, 1))).toBe(0);
  });
});
