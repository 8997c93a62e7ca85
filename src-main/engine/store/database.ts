import Database from 'better-sqlite3';
import { mkdirSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { EngineError, diskError } from '../errors';
import { runMigrations } from './migrate';
import { migrations } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the library database in WAL mode and brings its schema up to date.
 * Thread rule: a better-sqlite3 handle belongs to the thread that opened it.
 *
 * A full disk surfaces as EngineError DISK_FULL from every statement, transaction and pragma of
 * the returned handle (see `guardDiskFull`), so every caller (API, jobs, CLI) reports it the same
 * way. SQLite rolls the failed write back; reads keep working, and writes work again once there
 * is room.
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
    const full = diskFullError(error, dirname(file));
    if (full) throw full;
    throw new EngineError(
      'DATABASE_ERROR',
      `The library database at ${file} could not be prepared: ${(error as Error).message}. ` +
        'If the file is damaged, restore it from a backup or move it aside to start a new library.',
      { cause: error, details: { path: file } },
    );
  }
  return guardDiskFull(db, (error) => diskFullError(error, dirname(file)));
}

/** SQLite's "out of space" answers; the I/O ones count only when the disk is indeed (nearly) full. */
const ioErrorsOfAFullDisk = new Set([
  'SQLITE_IOERR_WRITE',
  'SQLITE_IOERR_FSYNC',
  'SQLITE_IOERR_TRUNCATE',
  'SQLITE_IOERR_SHMSIZE',
]);
const nearlyFullBytes = 1024 * 1024;

const freeBytes = (folder: string): number | undefined => {
  try {
    const stats = statfsSync(folder);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
};

/**
 * DISK_FULL for an error of SQLite (SQLITE_FULL, or an I/O error while under 1 MiB is free) or of
 * Node (ENOSPC, EDQUOT) writing the library in `dataDir`; undefined for any other error.
 */
export function diskFullError(error: unknown, dataDir: string): EngineError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const full =
    code === 'SQLITE_FULL' ||
    code === 'ENOSPC' ||
    code === 'EDQUOT' ||
    (ioErrorsOfAFullDisk.has(code) && (freeBytes(dataDir) ?? Infinity) < nearlyFullBytes);
  if (!full) return undefined;
  const free = freeBytes(dataDir);
  return new EngineError(
    'DISK_FULL',
    `The disk holding the data folder ${dataDir} is full, so the library cannot save changes. ` +
      'Free some space on that disk (models you no longer use, old media, other files), or move the data folder to a larger disk, then try again. Reading the library still works.',
    { cause: error, details: { path: dataDir, ...(free !== undefined && { freeBytes: free }) } },
  );
}

/**
 * Wraps a better-sqlite3 handle so that the errors `map` recognises are thrown as it returns them,
 * from the handle's methods, its statements (and their chained forms: pluck, raw, bind…) and its
 * transaction functions (and their deferred / immediate / exclusive variants). Everything else
 * passes through untouched; native methods always run on the real objects.
 */
export function guardDiskFull<T extends object>(
  target: T,
  map: (error: unknown) => EngineError | undefined,
): T {
  const rethrow = (error: unknown): never => {
    throw map(error) ?? error;
  };
  const wrappers = new Map<PropertyKey, unknown>();
  const proxy: T = new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      let wrapper = wrappers.get(property);
      if (wrapper === undefined) {
        wrapper = (...args: unknown[]): unknown => {
          let result: unknown;
          try {
            result = Reflect.apply(value, object, args);
          } catch (error) {
            return rethrow(error);
          }
          if (result === object) return proxy; // chained statement methods
          // A new statement (prepare) or transaction function.
          if (property === 'prepare' || property === 'transaction') {
            return (typeof result === 'object' && result !== null) || typeof result === 'function'
              ? guardDiskFull(result, map)
              : result;
          }
          return result;
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
    apply(fn, thisArg, args) {
      try {
        return Reflect.apply(fn as (...a: unknown[]) => unknown, thisArg, args);
      } catch (error) {
        return rethrow(error);
      }
    },
  });
  return proxy;
}
