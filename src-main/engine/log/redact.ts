/**
 * The one rule for secrets in logs: every line the engine log, the request log (`serve --log`)
 * or the error summary writes passes through `redactSecrets`.
 */

/**
 * Query parameters whose values are secrets: a signed URL's `sig`, a WebSocket `ticket`, and the
 * names scripts commonly put tokens under. The value runs to the next `&`, `#`, quote or space.
 */
const secretParam =
  /([?&](?:sig|ticket|token|access_token|api_key|apikey|key|secret|password|authorization)=)[^&#\s"'\\]*/gi;
/** API tokens (`sts_…`) and WebSocket tickets (`wst_…`) wherever they appear. */
const secretValue = /\b(sts|wst)_[\w-]+/g;
/** Whatever follows `Bearer ` (a foreign token in a header or a message). */
const bearerValue = /\b(Bearer\s+)[^\s"',;\\]+/gi;

/**
 * `text` with every secret a request can carry replaced by `[redacted]`: the values of secret
 * query parameters, any API token or ticket, and bearer credentials. For log lines, which end up
 * in files and terminals that outlive the secrets' owners' intentions.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(secretParam, '$1[redacted]')
    .replace(secretValue, '$1_[redacted]')
    .replace(bearerValue, '$1[redacted]');
}

/**
 * Fields that hold credentials whole (pino `redact` paths): a request's headers, wherever a log
 * call puts them. Free text is covered by `redactSecrets`.
 */
export const secretLogPaths = [
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  'request.headers.cookie',
  'token',
  'ticket',
];
