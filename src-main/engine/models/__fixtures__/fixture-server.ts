/**
 * Test helper: a real HTTP server on 127.0.0.1 serving one payload at `/model.bin`, with
 * switchable misbehaviour for the downloader and model manager tests.
 */
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FixtureBehaviour {
  /** Destroy the socket once this many body bytes of a response are sent. */
  dropAfter?: number;
  /** Stop sending, leaving the connection open, once this many body bytes are sent. */
  stallAfter?: number;
  /** Accept requests but never answer them. */
  noResponse?: boolean;
  /** Answer every request with this status and a short text body. */
  status?: number;
  /** Serve bytes of the right length that differ from the payload. */
  corrupt?: boolean;
  /** Ignore Range headers and always send the whole payload with 200. */
  ignoreRange?: boolean;
  /** Pause between chunks, to make a transfer take a while. @default 0 */
  chunkDelayMs?: number;
}

export interface RequestLog {
  path: string;
  range: string | undefined;
  acceptEncoding: string | undefined;
  status: number;
  /** Body bytes handed to the socket. */
  bytesSent: number;
}

export interface FixtureServer {
  /** URL of the payload. */
  url: string;
  origin: string;
  payload: Buffer;
  sha256: string;
  /** Mutable: takes effect for the next request. */
  behaviour: FixtureBehaviour;
  requests: RequestLog[];
  close(): Promise<void>;
}

const chunkSize = 64 * 1024;

/** Deterministic pseudo-random bytes (xorshift32), optionally starting with the ggml magic. */
export function fixturePayload(size: number, seed: number, ggml = false): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed >>> 0 || 1;
  for (let offset = 0; offset < size; offset++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[offset] = state & 0xff;
  }
  if (ggml) bytes.writeUInt32LE(0x67676d6c, 0);
  return bytes;
}

export async function startFixtureServer(payload: Buffer): Promise<FixtureServer> {
  const requests: RequestLog[] = [];
  const behaviour: FixtureBehaviour = {};
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const log: RequestLog = {
      path,
      range: req.headers.range,
      acceptEncoding: req.headers['accept-encoding'],
      status: 0,
      bytesSent: 0,
    };
    requests.push(log);
    const b = { ...behaviour };
    if (b.noResponse) return;
    const answer = (status: number, headers: Record<string, string | number>, text = '') => {
      log.status = status;
      res.writeHead(status, headers).end(text);
    };
    if (b.status !== undefined) return answer(b.status, { 'content-type': 'text/plain' }, 'nope');
    if (path === '/redirect') return answer(302, { location: '/model.bin' });
    if (path !== '/model.bin') return answer(404, { 'content-type': 'text/plain' }, 'not found');

    const body = b.corrupt ? Buffer.from(payload.map((byte) => byte ^ 0xff)) : payload;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && !b.ignoreRange) {
      const start = Number(range[1]);
      if (start >= body.length) {
        return answer(416, { 'content-range': `bytes */${body.length}` });
      }
      log.status = 206;
      res.writeHead(206, {
        'content-length': body.length - start,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
      void send(res, body.subarray(start), log, b);
      return;
    }
    log.status = 200;
    res.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' });
    void send(res, body, log, b);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/model.bin`,
    origin,
    payload,
    sha256: createHash('sha256').update(payload).digest('hex'),
    behaviour,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function send(
  res: ServerResponse,
  body: Buffer,
  log: RequestLog,
  b: FixtureBehaviour,
): Promise<void> {
  const limit = Math.min(b.dropAfter ?? Infinity, b.stallAfter ?? Infinity, body.length);
  for (let sent = 0; sent < limit;) {
    if (res.destroyed) return;
    const end = Math.min(sent + chunkSize, limit);
    await new Promise<void>((resolve) => res.write(body.subarray(sent, end), () => resolve()));
    log.bytesSent += end - sent;
    sent = end;
    if (b.chunkDelayMs) await sleep(b.chunkDelayMs);
  }
  if (limit === body.length) res.end();
  else if (limit === b.dropAfter) res.socket?.destroy();
  // A stall leaves the response open until the client gives up or the server closes.
}
