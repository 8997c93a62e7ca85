/**
 * One engine per data folder. Two engines on one library would both resume the same queued and
 * interrupted jobs, sweep each other's temporary files and download into the same partial file.
 *
 * The lock is an operating-system file lock, so the kernel releases it when the holder ends in
 * any way (kill -9, a crash, a power cut): there is no stale lock to judge, and no pid to mistake
 * for another process that reused it. SQLite provides the portable lock (fcntl on POSIX,
 * LockFileEx on Windows): the holder keeps an exclusive transaction open on `engine.lock`, an
 * empty database, for its whole life. A second engine's attempt fails at once with SQLITE_BUSY.
 *
 * Who holds it is written beside it in `engine.lock.json` ({ pid, kind, host, port, url,
 * startedAt }), so the refusal can name the running engine. That file is only information: the
 * lock is the open transaction.
 *
 * Rules:
 * - Never delete `engine.lock` (an engine that opened the old file and one that creates a new one
 *   would both "hold" it) and never open it with anything but this module: on POSIX, closing any
 *   descriptor of the file in the holding process drops that process's locks on it.
 * - The handle is kept by the returned object; losing it to garbage collection would unlock.
 */
import Database from 'better-sqlite3';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EngineError } from './errors';

export interface EngineLockInfo {
  pid: number;
  /** What holds the folder: "serve", "desktop app", "transcribe", … */
  kind: string;
  host: string;
  startedAt: string;
  /** The API's port and base URL once the holder listens; null before (or without an API). */
  port: number | null;
  url: string | null;
}

export interface EngineLock {
  readonly info: EngineLockInfo;
  /** Records where the holder's API listens, for the message a second engine gets. */
  update(change: { port: number; url: string }): void;
  /** Lets the folder go. Safe to call twice. */
  release(): void;
}

export const engineLockFile = (dataDir: string) => join(dataDir, 'engine.lock');
const infoFile = (dataDir: string) => join(dataDir, 'engine.lock.json');

const isBusy = (error: unknown) =>
  typeof (error as { code?: unknown } | null)?.code === 'string' &&
  /^SQLITE_(BUSY|LOCKED)/.test((error as { code: string }).code);

function readInfo(dataDir: string): EngineLockInfo | undefined {
  try {
    const value = JSON.parse(readFileSync(infoFile(dataDir), 'utf8')) as Partial<EngineLockInfo>;
    if (typeof value.pid !== 'number' || typeof value.kind !== 'string') return undefined;
    return {
      pid: value.pid,
      kind: value.kind,
      host: typeof value.host === 'string' ? value.host : '',
      startedAt: typeof value.startedAt === 'string' ? value.startedAt : '',
      port: typeof value.port === 'number' ? value.port : null,
      url: typeof value.url === 'string' ? value.url : null,
    };
  } catch {
    return undefined; // not written yet (the holder is starting) or unreadable
  }
}

function writeInfo(dataDir: string, info: EngineLockInfo): void {
  // Whole or not at all: a reader never sees half a file.
  const tmp = `${infoFile(dataDir)}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`);
    renameSync(tmp, infoFile(dataDir));
  } catch {
    // Only the message a second engine gets loses detail (a full disk, say); the lock holds.
    rmSync(tmp, { force: true });
  }
}

/** "serve (pid 123, port 8770, http://127.0.0.1:8770, since …)" */
function describeHolder(info: EngineLockInfo | undefined): string {
  if (!info) return 'another engine (it is starting, or did not say what it is)';
  const facts = [`pid ${info.pid}`];
  if (info.host && info.host !== hostname()) facts.push(`on host ${info.host}`);
  if (info.port !== null) facts.push(`port ${info.port}`);
  if (info.url) facts.push(info.url);
  if (info.startedAt) facts.push(`since ${info.startedAt}`);
  return `${info.kind} (${facts.join(', ')})`;
}

/**
 * Takes the data folder for this process, or throws ENGINE_BUSY naming the engine that has it.
 * Never waits: the answer is immediate either way.
 */
export function acquireEngineLock(dataDir: string, kind: string): EngineLock {
  let db: Database.Database;
  try {
    db = new Database(engineLockFile(dataDir), { timeout: 0 });
  } catch (error) {
    throw new EngineError(
      'DATABASE_ERROR',
      `Cannot create the lock file in the data folder ${dataDir}: ${(error as Error).message}. Check that the folder is writable.`,
      { cause: error, details: { path: engineLockFile(dataDir) } },
    );
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (!isBusy(error)) {
      throw new EngineError(
        'DATABASE_ERROR',
        `Cannot lock the data folder ${dataDir}: ${(error as Error).message}. A data folder must be on a file system that supports file locks.`,
        { cause: error, details: { path: engineLockFile(dataDir) } },
      );
    }
    const holder = readInfo(dataDir);
    const sendTo = holder?.url
      ? `, or send the work to it through its API (${holder.url}/docs)`
      : '';
    throw new EngineError(
      'ENGINE_BUSY',
      `The data folder ${dataDir} is in use by ${describeHolder(holder)}. ` +
        'Only one engine may use a data folder at a time (a second one would run the same jobs again). ' +
        `Stop that one first, choose another data folder (--data-dir or STUDIO_DATA_DIR)${sendTo}.`,
      { cause: error, details: { dataDir, ...holder } },
    );
  }

  const info: EngineLockInfo = {
    pid: process.pid,
    kind,
    host: hostname(),
    startedAt: new Date().toISOString(),
    port: null,
    url: null,
  };
  writeInfo(dataDir, info);
  let held = true;
  return {
    get info() {
      return { ...info };
    },
    update({ port, url }) {
      if (!held) return;
      info.port = port;
      info.url = url;
      writeInfo(dataDir, info);
    },
    release() {
      if (!held) return;
      held = false;
      // The information goes first: while the lock is still ours, nobody else has written it.
      rmSync(infoFile(dataDir), { force: true });
      db.close();
    },
  };
}
