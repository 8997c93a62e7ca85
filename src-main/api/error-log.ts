/**
 * The engine's error log: every API answer of 500 or more is recorded with a short reference
 * that the client is given, so "the details are in the engine log" is always true, with or
 * without `serve --log`.
 *
 * - `<data folder>/logs/engine.log`: one JSON line per error (time, reference, method, route,
 *   code, message, stack and causes), for the desktop app as much as for `serve`. Kept under
 *   about 10 MiB: at 5 MiB it becomes `engine.log.1` (replacing the previous one).
 * - A one-line summary on standard error (the terminal or service log of `serve`), unless the
 *   request log already goes there.
 *
 * Nothing secret is written: lines pass through `redactSecrets`, and the route is logged, not the
 * URL with its query. Appends are asynchronous and in order; a log that cannot be written (a full
 * disk) never fails the request.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { redactSecrets } from './request-log';

export interface ErrorLog {
  /** Absolute path of the log file. */
  readonly file: string;
  /** Records a server error; returns its reference (8 hex digits) for the answer. */
  record(error: unknown, where: { method: string; route: string; status: number }): string;
  /** Resolves when every line recorded so far has been written (or given up on). */
  flushed(): Promise<void>;
}

export interface ErrorLogOptions {
  dataDir: string;
  /** Where the one-line summary goes; null for nowhere. @default standard error */
  echo?: ((line: string) => void) | null;
  /** @default 5 MiB */
  rotateBytes?: number;
}

export const errorLogFile = (dataDir: string) => join(dataDir, 'logs', 'engine.log');

interface Described {
  name: string;
  code?: string;
  message: string;
  stack?: string;
}

/** The error and its causes, outermost first (at most 5 deep). */
function describeChain(error: unknown): Described[] {
  const chain: Described[] = [];
  for (let current = error; current !== undefined && chain.length < 5;) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      chain.push({
        name: current.name,
        ...(typeof code === 'string' && { code }),
        message: current.message,
        ...(current.stack && { stack: current.stack }),
      });
      current = current.cause;
    } else {
      chain.push({ name: typeof current, message: String(current) });
      break;
    }
  }
  return chain;
}

export function createErrorLog(options: ErrorLogOptions): ErrorLog {
  const { dataDir, rotateBytes = 5 * 1024 * 1024 } = options;
  const echo =
    options.echo === undefined ? (line: string) => void process.stderr.write(line) : options.echo;
  const file = errorLogFile(dataDir);
  let size: number | undefined;
  let queue: Promise<void> = Promise.resolve();

  const append = async (line: string) => {
    try {
      if (size === undefined) {
        await mkdir(join(dataDir, 'logs'), { recursive: true });
        size = await stat(file).then(
          (s) => s.size,
          () => 0,
        );
      }
      if (size > 0 && size + line.length > rotateBytes) {
        await rename(file, `${file}.1`);
        size = 0;
      }
      await appendFile(file, line);
      size += Buffer.byteLength(line);
    } catch {
      // No room or no permission: the summary on standard error is what is left.
      size = undefined;
    }
  };

  return {
    file,
    record(error, { method, route, status }) {
      const reference = randomBytes(4).toString('hex');
      const chain = describeChain(error);
      const time = new Date().toISOString();
      const entry = { time, reference, status, method, route, error: chain };
      const line = redactSecrets(`${JSON.stringify(entry)}\n`);
      queue = queue.then(() => append(line));
      const first = chain[0];
      echo?.(
        redactSecrets(
          `${time} engine error ${reference}: ${method} ${route} → ${status} ${first?.code ?? first?.name ?? ''}: ${first?.message ?? ''} (details: ${file})\n`,
        ),
      );
      return reference;
    },
    flushed: () => queue,
  };
}
