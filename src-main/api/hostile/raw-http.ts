/**
 * HTTP/1.x over a bare TCP socket, for requests no HTTP client will send: a Host header that is
 * absent, malformed or lies about the port, duplicate or odd headers, invalid bytes, a body
 * that does not match its Content-Length. Every request is time-boxed.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** Header names in lower case; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from connecting to the complete response. */
  ms: number;
}

export interface RawRequest {
  method?: string;
  path: string;
  /** Sent exactly as given, in order. No Host is added: include one unless testing without. */
  headers: [string, string][];
  body?: Buffer | string;
  /** @default '1.1' */
  version?: '1.0' | '1.1';
  /** @default 5000 */
  timeoutMs?: number;
}

/** The request's bytes: request line, headers as given, `Connection: close`, body. */
export function encodeRequest(request: RawRequest): Buffer {
  const { method = 'GET', path, headers, body, version = '1.1' } = request;
  const lines = [`${method} ${path} HTTP/${version}`];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  if (!headers.some(([name]) => name.toLowerCase() === 'connection')) {
    lines.push('Connection: close');
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body === undefined ? head : Buffer.concat([head, Buffer.from(body)]);
}

/**
 * Sends `request` to 127.0.0.1:`port` and reads one response. A 101 (WebSocket accepted) ends
 * the read at its header block; anything else at its Content-Length or when the server closes.
 * Rejects when nothing complete arrives within the time limit.
 */
export function rawHttp(port: number, request: RawRequest): Promise<RawResponse> {
  const timeoutMs = request.timeoutMs ?? 5000;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (error: Error | undefined, response?: RawResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(response!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `No complete response to ${request.method ?? 'GET'} ${request.path} within ${timeoutMs} ms (got ${received.length} bytes)`,
          ),
        ),
      timeoutMs,
    );
    const parse = (ended: boolean) => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (ended) finish(new Error(`The connection closed without a response: "${received}"`));
        return;
      }
      const [statusLine = '', ...headerLines] = received
        .subarray(0, end)
        .toString('latin1')
        .split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0)
          headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rest = received.subarray(end + 4);
      const length =
        headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
      const complete =
        status === 101 ||
        request.method === 'HEAD' ||
        (length !== undefined && rest.length >= length) ||
        ended;
      if (!complete) return;
      const body = (length === undefined ? rest : rest.subarray(0, length)).toString('utf8');
      finish(undefined, { status, headers, body, ms: performance.now() - started });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      parse(false);
    });
    socket.on('end', () => parse(true));
    socket.on('close', () => parse(true));
    // A reset after the server answered (it may close while we still send) is not a failure.
    socket.on('error', (error) => {
      if (received.length > 0) parse(true);
      else finish(error);
    });
    socket.write(encodeRequest(request));
  });
}

/** The headers of a WebSocket upgrade request (RFC 6455 §4.1). */
export const upgradeHeaders = (): [string, string][] => [
  ['Connection', 'Upgrade'],
  ['Upgrade', 'websocket'],
  ['Sec-WebSocket-Version', '13'],
  ['Sec-WebSocket-Key', randomBytes(16).toString('base64')],
];
