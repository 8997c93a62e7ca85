import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { redactSecrets } from '../engine/log/redact';

/** Where log lines go: a stream, or anything with `write` (tests). */
export interface LogDestination {
  write(line: string): unknown;
}

export { redactSecrets };

/**
 * Fastify logger options for `serve --log`: one JSON line per event to `destination`, requests
 * logged without secrets. The request serializer redacts the URL (headers, and so the
 * `Authorization` header, are never logged); every line passes through `redactSecrets` too, so
 * a secret quoted in an error message does not get out either.
 */
export function requestLoggerOptions(destination: LogDestination): FastifyServerOptions['logger'] {
  return {
    stream: { write: (line: string) => void destination.write(redactSecrets(line)) },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactSecrets(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
}
