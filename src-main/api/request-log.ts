import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/** Where log lines go: a stream, or anything with `write` (tests). */
export interface LogDestination {
  write(line: string): unknown;
}

/**
 * Query parameters whose values are secrets: a signed URL's `sig`, a WebSocket `ticket`, and the
 * names scripts commonly put tokens under. The value runs to the next `&`, `#`, quote or space.
 */
const secretParam =
  /([?&](?:sig|ticket|token|access_token|api_key|apikey|key|secret|password|authorization)=)[^&#\s"'\\]*/gi;
/** API tokens (`sts_…`) and WebSocket tickets (`wst_…`) wherever they appear. */
const secretValue = /\b(sts|wst)_[\w-]+/g;

/**
 * `text` with every secret a request can carry replaced by `[redacted]`: the values of secret
 * query parameters and any API token or ticket. For log lines, which end up in files and
 * terminals that outlive the secrets' owners' intentions.
 */
export function redactSecrets(text: string): string {
  return text.replace(secretParam, '$1[redacted]').replace(secretValue, '$1_[redacted]');
}

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
