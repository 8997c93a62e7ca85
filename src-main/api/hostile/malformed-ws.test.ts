/**
 * Hostile WebSocket traffic on /v1/events and /v1/live over real sockets: protocol violations
 * written by hand (unmasked frames, reserved bits, unknown opcodes, lying lengths, broken close
 * frames, invalid UTF-8), frames over maxPayload, binary garbage, text that is not a control
 * message, floods. Each must end in the documented close code or an error event with the socket
 * still usable; no live session may be left behind, and /health must answer afterwards.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liveSampleRate } from '../../contract/live';
import { connect, type TestSocket } from '../routes/events/ws-test-client';
import { startHostileApp } from './hostile-app';
import { rawHttp } from './raw-http';
import { closePayload, opcode, rawWsSession, wsFrame } from './raw-ws';

const h = await startHostileApp({ listen: true });
afterAll(() => h.close());
const port = h.port!;
const host: [string, string] = ['Host', `127.0.0.1:${port}`];
const wsBase = `ws://127.0.0.1:${port}`;
/** @fastify/websocket's maxPayload in app.ts. */
const maxPayload = 1024 * 1024;

const sockets = [
  { path: '/v1/events', token: h.tokens.read, greeting: 'hello' },
  { path: '/v1/live?save=false', token: h.tokens.live, greeting: 'ready' },
] as const;

/** Live sessions still open, after giving closing ones a moment. */
async function liveSessionsLeft(): Promise<number> {
  for (let i = 0; i < 100 && h.engine.live.activeSessions > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return h.engine.live.activeSessions;
}

async function healthy(): Promise<boolean> {
  const response = await rawHttp(port, { path: '/health', headers: [host] });
  return response.status === 200;
}

describe.each(sockets)('$path: protocol violations', ({ path, token, greeting }) => {
  const violations: [string, Buffer[], number][] = [
    ['an unmasked client frame', [wsFrame(opcode.text, '{"type":"ping"}', { mask: false })], 1002],
    ['RSV1 without an extension', [wsFrame(opcode.text, '{}', { rsv: 0b100 })], 1002],
    ['an unknown opcode', [wsFrame(0x3, 'x')], 1002],
    ['a control frame over 125 bytes', [wsFrame(opcode.ping, Buffer.alloc(126))], 1002],
    ['a fragmented control frame', [wsFrame(opcode.ping, 'x', { fin: false })], 1002],
    ['a continuation without a start', [wsFrame(opcode.continuation, 'x')], 1002],
    [
      'a new message inside a fragmented one',
      [wsFrame(opcode.text, 'a', { fin: false }), wsFrame(opcode.text, 'b')],
      1002,
    ],
    [
      'invalid UTF-8 in a text frame',
      [wsFrame(opcode.text, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
      1007,
    ],
    ['an overlong UTF-8 encoding', [wsFrame(opcode.text, Buffer.from([0xc0, 0xaf]))], 1007],
    ['a length of 2^53', [wsFrame(opcode.binary, 'x', { declaredLength: 2n ** 53n })], 1009],
    [
      'a length of 2^63 - 1',
      [wsFrame(opcode.binary, 'x', { declaredLength: 2n ** 63n - 1n })],
      1009,
    ],
    [
      'a declared length over maxPayload',
      [wsFrame(opcode.binary, 'x', { declaredLength: BigInt(maxPayload + 1) })],
      1009,
    ],
    ['a close code that may not be sent', [wsFrame(opcode.close, closePayload(1005))], 1002],
    ['a close code out of range', [wsFrame(opcode.close, closePayload(999))], 1002],
    ['a one-byte close payload', [wsFrame(opcode.close, Buffer.from([0x03]))], 1002],
    [
      'a close reason of invalid UTF-8',
      [wsFrame(opcode.close, Buffer.concat([closePayload(1000), Buffer.from([0xff])]))],
      1007,
    ],
  ];

  it.each(violations)(
    '%s: closed with the right code, connection ended',
    async (label, frames, code) => {
      const result = await rawWsSession(
        port,
        path,
        [host, ['Authorization', `Bearer ${token}`]],
        frames,
      );
      expect(result.status, label).toBe(101);
      expect((result.messages[0] as { type?: string } | undefined)?.type, label).toBe(greeting);
      expect(result.close?.code, `${label}: ${JSON.stringify(result.close)}`).toBe(code);
      expect(result.hungUp, `${label}: the server ended the connection`).toBe(true);
    },
  );

  it('a clean close handshake from the client ends the session', async () => {
    const result = await rawWsSession(
      port,
      path,
      [host, ['Authorization', `Bearer ${token}`]],
      [wsFrame(opcode.close, closePayload(1000, 'bye'))],
    );
    expect(result.close?.code).toBe(1000);
    expect(result.hungUp).toBe(true);
    expect(await liveSessionsLeft()).toBe(0);
  });
});

/** Opens an authenticated socket and waits for its first event. */
async function open(path: string, token: string, greeting: string): Promise<TestSocket> {
  const socket = await connect(`${wsBase}${path}`, { authorization: `Bearer ${token}` });
  await socket.next(greeting, 10_000);
  return socket;
}

describe('/v1/events: garbage in, error events out, socket stays up', () => {
  it('binary garbage, non-JSON text and wrong shapes each get an error event; ping still pongs', async () => {
    const socket = await open('/v1/events', h.tokens.read, 'hello');
    const inputs: (string | Buffer)[] = [
      Buffer.from([0xde, 0xad, 0xbe, 0xef]),
      'not json',
      '{"type":"ping"',
      '{"type":"subscribe","jobId":"x"}',
      '{"type":"ping","__proto__":{"polluted":true}}',
      '[]',
      'null',
      '"ping"',
      `{"type":"${'x'.repeat(100_000)}"}`,
      '',
    ];
    for (const input of inputs) socket.ws.send(input);
    socket.ws.send('{"type":"ping"}');
    await socket.next('pong', 5000);
    const errors = socket.messages.filter((m) => m.type === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(inputs.length - 1);
    for (const error of errors)
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.any(String) });
    // No echo of a huge frame back to the client.
    expect(Math.max(...errors.map((e) => JSON.stringify(e).length))).toBeLessThan(2000);
    expect({}).not.toHaveProperty('polluted');
    socket.ws.close(1000);
    expect((await socket.closed).code).toBe(1000);
  });

  it('a frame over maxPayload is closed with 1009', async () => {
    const socket = await open('/v1/events', h.tokens.read, 'hello');
    socket.ws.send(Buffer.alloc(maxPayload + 1));
    expect((await socket.closed).code).toBe(1009);
  });

  it('a flood of 5,000 garbage frames leaves the engine answering', async () => {
    const socket = await open('/v1/events', h.tokens.read, 'hello');
    const garbage = Buffer.alloc(64, 0xff);
    for (let i = 0; i < 5000; i++) socket.ws.send(garbage);
    socket.ws.send('{"type":"ping"}');
    const started = performance.now();
    expect(await healthy()).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
    // Either it kept up (and answered the ping) or cut off a client that floods it.
    const outcome = await Promise.race([
      socket.next('pong', 10_000).then(() => 'pong'),
      socket.closed.then(({ code }) => `closed ${code}`),
    ]);
    expect(['pong', 'closed 1008']).toContain(outcome);
    socket.ws.terminate();
  });
});

describe('/v1/live: garbage audio ends the session, bad text only gets an error', () => {
  const uploads = () => {
    try {
      return readdirSync(join(h.dataDir, 'uploads'));
    } catch {
      return [];
    }
  };

  it('text that is not a control message gets an error event and the session goes on to a clean stop', async () => {
    const socket = await open('/v1/live?save=false', h.tokens.live, 'ready');
    for (const input of ['not json', '{"type":"start"}', '{"type":"stop","extra":', 'null'])
      socket.ws.send(input);
    socket.ws.send(Buffer.alloc((liveSampleRate / 10) * 2)); // 100 ms of silence
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    const errors = socket.messages.filter((m) => m.type === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(4);
    for (const error of errors) expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    socket.ws.send('{"type":"stop"}');
    expect((await socket.closed).code).toBe(1000);
    expect(await liveSessionsLeft()).toBe(0);
  });

  it.each([
    ['an odd number of bytes', Buffer.alloc(3201), 1007],
    ['more than one second in one frame', Buffer.alloc(liveSampleRate * 2 + 2), 1007],
    ['a frame over maxPayload', Buffer.alloc(maxPayload + 1), 1009],
  ] as const)('%s: closed with %i, no session or recording left', async (label, frame, code) => {
    const before = uploads();
    const socket = await open('/v1/live?save=false', h.tokens.live, 'ready');
    socket.ws.send(frame);
    const closed = await socket.closed;
    expect(closed.code, `${label}: ${closed.reason}`).toBe(code);
    expect(await liveSessionsLeft()).toBe(0);
    expect(uploads()).toEqual(before);
  });

  it('an empty audio frame neither crashes nor hangs the session', async () => {
    const socket = await open('/v1/live?save=false', h.tokens.live, 'ready');
    socket.ws.send(Buffer.alloc(0));
    socket.ws.send('{"type":"stop"}');
    const closed = await socket.closed;
    expect([1000, 1007], closed.reason).toContain(closed.code);
    expect(await liveSessionsLeft()).toBe(0);
  });

  it('hostile query parameters are refused before a session starts', async () => {
    for (const query of [
      `language=${'x'.repeat(200)}`,
      'language=../../etc',
      'model=../../models/x',
      'model=%00',
      'save=maybe',
      'save=true&save=false',
    ]) {
      const result = await rawWsSession(
        port,
        `/v1/live?${query}`,
        [host, ['Authorization', `Bearer ${h.tokens.live}`]],
        [],
        {
          waitForMessages: 0,
          timeoutMs: 5000,
        },
      );
      // Refused at the upgrade (400) or right after it with 1008.
      if (result.status === 101) {
        expect(result.close?.code, `${query}: ${JSON.stringify(result)}`).toBe(1008);
      } else {
        expect(result.status, query).toBe(400);
      }
      expect(result.hungUp, `${query}: the server ended the connection`).toBe(true);
    }
    expect(await liveSessionsLeft()).toBe(0);
  });
});

describe('afterwards', () => {
  it('no live session is left, the engine is alive and /health answers 200', async () => {
    expect(await liveSessionsLeft()).toBe(0);
    expect(await healthy()).toBe(true);
  });
});
