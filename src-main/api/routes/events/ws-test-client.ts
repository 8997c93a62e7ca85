/**
 * A WebSocket client for the API's tests: connects with the real `ws` package over loopback,
 * records every JSON message and how the socket closed, or how the upgrade was refused.
 */
import WebSocket from 'ws';

export interface TestSocket {
  ws: WebSocket;
  /** Every text frame, parsed. */
  messages: { type: string; [key: string]: unknown }[];
  /** Resolves with the first message of `type` (or one already received). */
  next(type: string, timeoutMs?: number): Promise<{ type: string; [key: string]: unknown }>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a socket and waits until it is open; rejects with the HTTP status when refused. */
export function connect(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const ws = new WebSocket(url, { headers });
  const messages: TestSocket['messages'] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data, isBinary) => {
    if (!isBinary) messages.push(JSON.parse(String(data)));
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const wake of waiters.splice(0)) wake();
    }),
  );
  const next: TestSocket['next'] = (type, timeoutMs = 60_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No "${type}" message within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const look = () => {
        const found = messages.find((m) => m.type === type);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else if (ws.readyState === WebSocket.CLOSED) {
          clearTimeout(timer);
          reject(new Error(`The socket closed before a "${type}" message`));
        } else {
          waiters.push(look);
        }
      };
      look();
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, next, closed }));
    // The client deliberately keeps its end open, as a careless or hostile one would: the server
    // must close the connection of a refused upgrade itself.
    ws.once('unexpected-response', (_request, response) => {
      const socketClosed = new Promise<boolean>((resolveClosed) => {
        const timer = setTimeout(() => resolveClosed(false), 2000);
        response.socket.once('close', () => {
          clearTimeout(timer);
          resolveClosed(true);
        });
      });
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () =>
        reject(
          Object.assign(new Error(`HTTP ${response.statusCode}`), {
            status: response.statusCode,
            body,
            socketClosed,
          }),
        ),
      );
    });
    ws.once('error', (error) => reject(error));
  });
}

/**
 * The HTTP status an upgrade was refused with, its body, and whether the server then closed the
 * connection. Fails the test if the socket opened.
 */
export async function refusedStatus(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; socketClosed: boolean }> {
  try {
    const socket = await connect(url, headers);
    socket.ws.terminate();
  } catch (error) {
    const { status, body, socketClosed } = error as {
      status?: number;
      body?: string;
      socketClosed?: Promise<boolean>;
    };
    if (status !== undefined) {
      return { status, body: body ?? '', socketClosed: (await socketClosed) ?? false };
    }
    throw error;
  }
  throw new Error(`The upgrade to ${url} was accepted; it should have been refused`);
}

/** A float signal as pcm_s16le bytes. */
export function toPcm16(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768))), 2 * i);
  }
  return out;
}
