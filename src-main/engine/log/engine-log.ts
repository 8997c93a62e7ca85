/**
 * The engine log: one JSON line per event (pino) in `<data folder>/logs/engine.log`, for every
 * face of the engine (serve, the CLI, the desktop app).
 *
 * - Bounded: at 5 MiB the file becomes `engine.log.1` (the previous `.1` becomes `.2`, and the
 *   oldest goes), so the folder holds about 15 MiB at most. Rotation is rotating-file-stream's.
 * - Written on the main thread by an asynchronous file stream, not a pino transport: no worker
 *   thread to start in Electron's main process or to flush at exit; `close()` ends the stream
 *   once every line given so far is on disk.
 * - Nothing secret is written: each line passes through `redactSecrets` (tokens, tickets, `sig=`,
 *   `token=`, bearer credentials), and header fields are blanked by pino's `redact`.
 * - A log that cannot be written (a full disk, no permission) costs one line on standard error
 *   and never fails the engine.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';
import { redactSecrets, secretLogPaths } from './redact';

export type EngineLogger = Logger;

/** Where the engine of `dataDir` writes its log. */
export const engineLogFile = (dataDir: string) => join(dataDir, 'logs', 'engine.log');

export interface EngineLogOptions {
  dataDir: string;
  /** The size at which the file is rotated. @default 5 MiB */
  rotateBytes?: number;
  /** Rotated files kept beside engine.log (engine.log.1 … .keep). @default 2 */
  keep?: number;
  /**
   * Rotate the file. An engine that shares the data folder with the engine holding it appends
   * without rotating, so that only one process ever renames the files. @default true
   */
  rotate?: boolean;
  /** @default 'info' */
  level?: pino.LevelWithSilent;
}

export interface EngineLog {
  readonly logger: EngineLogger;
  /** Absolute path of the current log file. */
  readonly file: string;
  /** Resolves once every line logged so far is written; later lines are dropped. Safe to call twice. */
  close(): Promise<void>;
}

export function createEngineLog(options: EngineLogOptions): EngineLog {
  const {
    dataDir,
    rotateBytes = 5 * 1024 * 1024,
    keep = 2,
    rotate = true,
    level = 'info',
  } = options;
  const file = engineLogFile(dataDir);
  let stream: Writable | undefined;
  let broken = false;
  const fail = (error: unknown) => {
    if (broken) return;
    broken = true;
    process.stderr.write(
      `The engine log ${file} cannot be written (${(error as Error).message ?? String(error)}); nothing more goes there until the engine starts again.\n`,
    );
  };
  try {
    mkdirSync(dirname(file), { recursive: true });
    stream = rotate
      ? createStream(
          // Classical rotation: called with the index of a rotated file, or null for the current one.
          (index: number | Date) =>
            typeof index === 'number' ? `engine.log.${index}` : 'engine.log',
          { path: dirname(file), size: `${rotateBytes}B`, rotate: keep },
        )
      : createWriteStream(file, { flags: 'a' });
    stream.on('error', fail);
  } catch (error) {
    fail(error);
  }

  let closed = false;
  const destination = {
    write(line: string) {
      if (closed || broken || !stream) return;
      stream.write(redactSecrets(line));
    },
  };
  const logger = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: secretLogPaths, censor: '[redacted]' },
    },
    destination,
  );

  let closing: Promise<void> | undefined;
  return {
    logger,
    file,
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        if (!stream || stream.destroyed) return resolve();
        stream.end(() => resolve());
      });
      return closing;
    },
  };
}
