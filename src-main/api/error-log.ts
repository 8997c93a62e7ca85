/**
 * The API's server errors in the engine log: every answer of 500 or more carries the request's
 * id (`error.details.requestId`), and the engine log (`<data folder>/logs/engine.log`, see
 * engine/log/engine-log.ts) has a "request failed" line with that `reqId`, the route, the status
 * and the error with its causes and stack. So "the details are in the engine log" is always
 * true, for the desktop app as much as for `serve`, with or without `serve --log`.
 *
 * A one-line summary also goes to standard error (the terminal or service log of `serve`),
 * unless the request log already goes there. The route is logged, not the URL with its query,
 * and every line passes through `redactSecrets`.
 */
import type { EngineLogger } from '../engine/log/engine-log';
import { redactSecrets } from '../engine/log/redact';

export interface ErrorLog {
  /** Records a server error under the id of the request that met it. */
  record(
    error: unknown,
    where: { requestId: string; method: string; route: string; status: number },
  ): void;
}

export interface ErrorLogOptions {
  log: EngineLogger;
  /** The file the log goes to, named in the summary; null when it goes elsewhere. */
  file: string | null;
  /** Where the one-line summary goes; null for nowhere. @default standard error */
  echo?: ((line: string) => void) | null;
}

export function createErrorLog(options: ErrorLogOptions): ErrorLog {
  const { log, file } = options;
  const echo =
    options.echo === undefined ? (line: string) => void process.stderr.write(line) : options.echo;
  return {
    record(error, { requestId, method, route, status }) {
      // Answers that say "not now" (shutting down, a tool missing) are no fault of the engine.
      const level = status === 503 ? 'warn' : 'error';
      log[level]({ reqId: requestId, status, method, route, err: error }, 'request failed');
      const code = (error as { code?: unknown } | null)?.code;
      const name = typeof code === 'string' ? code : (error as Error | null)?.name;
      const message = error instanceof Error ? error.message : String(error);
      echo?.(
        redactSecrets(
          `${new Date().toISOString()} engine error ${requestId}: ${method} ${route} → ${status} ${name ?? ''}: ${message} (details: ${file ?? 'the engine log'})\n`,
        ),
      );
    },
  };
}
