import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EngineError, diskError } from '../errors';
import { runMigrations } from './migrate';
import { migrations } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the library database in WAL mode and brings its schema up to date.
 * Thread rule: a better-sqlite3 handle belongs to the thread that opened it.
 */
export function openDatabase(file: string): Db {
  let db: Db;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
  } catch (error) {
    throw (
      diskError(error, file) ??
      new EngineError(
        'DATABASE_ERROR',
        `Cannot open the library database at ${file}. Check that the data folder is writable.`,
        { cause: error, details: { path: file } },
      )
    );
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    runMigrations(db, migrations);
  } catch (error) {
    db.close();
    if (error instanceof EngineError) throw error;
    throw new EngineError(
      'DATABASE_ERROR',
      `The library database at ${file} could not be prepared: ${(error as Error).message}. ` +
        'If the file is damaged, restore it from a backup or move it aside to start a new library.',
      { cause: error, details: { path: file } },
    );
  }
  return db;
}
