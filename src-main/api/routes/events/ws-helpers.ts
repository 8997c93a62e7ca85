import type { RawData } from 'ws';
import type { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorResponse, type ErrorResponse } from '../../../contract/errors';

/** The body a plain GET (no `Upgrade: websocket`) on a WebSocket route gets, with status 426. */
export function upgradeRequired(path: string): ErrorResponse {
  return {
    error: {
      code: 'INVALID_ARGUMENT',
      message: `${path} is a WebSocket endpoint: connect with a WebSocket client (ws://…${path}).`,
    },
  };
}

/** Answers of a WebSocket route to requests that never become a socket. */
export const webSocketRefusals = { 426: errorResponse, 401: errorResponse, 403: errorResponse };

/** The plain-HTTP handler of a WebSocket route: 426 Upgrade Required, saying how to connect. */
export const webSocketOnly =
  (path: string) =>
  (_request: FastifyRequest, reply: FastifyReply): void => {
    void reply.status(426).header('Upgrade', 'websocket').send(upgradeRequired(path));
  };

/** A close reason within the 123 bytes the protocol allows. */
export function closeReason(text: string): string {
  if (Buffer.byteLength(text) <= 123) return text;
  let out = text;
  while (Buffer.byteLength(out) > 120) out = out.slice(0, -1);
  return `${out}…`;
}

/** The bytes of a received frame, whatever form `ws` delivered them in. */
export function frameBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** A text frame parsed against a control-message schema, or why it is not one. */
export function parseControl<T>(
  schema: z.ZodType<T>,
  text: string,
): { ok: true; message: T } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'A text frame is not JSON.' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    reason: `A text frame is not a valid control message${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'unknown shape'}.`,
  };
}
