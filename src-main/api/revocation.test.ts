import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/create-engine';
import { createTestEngine } from '../engine/test-support/test-engine';
import { speech } from '../engine/whisper/__fixtures__/whisper-fixtures';
import { connect, refusedStatus, type TestSocket } from './routes/events/ws-test-client';
import { startServer, type RunningServer } from './server';
import { revokedCloseCode, revokedCloseReason } from './token-sockets';

/**
 * Revoking a token (DELETE /v1/tokens/:id) ends everything it was used to get: signed media URLs,
 * unredeemed WebSocket tickets and open sockets. Real engine, real HTTP and WebSockets on loopback.
 */
const work = mkdtempSync(join(tmpdir(), 'studio-revocation-'));
let engine: Engine;
let server: RunningServer;
let wsUrl: string;
let admin: Record<string, string>;
let mediaId: string;

beforeAll(async () => {
  engine = await createTestEngine(join(work, 'data'));
  server = await startServer({ engine });
  wsUrl = server.url.replace(/^http/, 'ws');
  admin = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
  const added = await fetch(`${server.url}/v1/media`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ path: speech.jfk }),
  });
  expect(added.status).toBe(201);
  mediaId = ((await added.json()) as { id: string }).id;
}, 120_000);
afterAll(async () => {
  await server.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const request = (method: string, path: string, headers: Record<string, string>) =>
  fetch(`${server.url}${path}`, { method, headers });
const revoke = async (id: string) => {
  const response = await request('DELETE', `/v1/tokens/${id}`, admin);
  expect(response.status).toBe(200);
};
/** How the socket closed, failing the test if it is still open after `ms`. */
const closedWithin = (socket: TestSocket, ms = 5000) =>
  Promise.race([
    socket.closed,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`The socket is still open after ${ms} ms`)), ms).unref(),
    ),
  ]);
const ticketFor = async (token: string) => {
  const response = await request('POST', '/v1/ws-tickets', bearer(token));
  expect(response.status).toBe(201);
  return ((await response.json()) as { ticket: string }).ticket;
};

describe('revoking a token', () => {
  it('stops the signed media URLs it asked for, and only those', async () => {
    const doomed = engine.tokens.createToken({ scopes: ['read'] });
    const kept = engine.tokens.createToken({ scopes: ['read'] });
    const signed = async (token: string) => {
      const response = await request('POST', `/v1/media/${mediaId}/stream-url`, bearer(token));
      expect(response.status).toBe(201);
      return ((await response.json()) as { url: string }).url;
    };
    const doomedUrl = await signed(doomed.token);
    const keptUrl = await signed(kept.token);
    expect((await request('GET', doomedUrl, {})).status).toBe(200);

    await revoke(doomed.id);
    const refused = await request('GET', doomedUrl, {});
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /revoked/,
    );
    expect((await request('GET', keptUrl, { range: 'bytes=0-1' })).status).toBe(206);
  });

  it('refuses the WebSocket tickets it asked for and has not used yet', async () => {
    const doomed = engine.tokens.createToken({ scopes: ['read'] });
    const ticket = await ticketFor(doomed.token);
    await revoke(doomed.id);
    const refused = await refusedStatus(`${wsUrl}/v1/events?ticket=${ticket}`);
    expect(refused.status).toBe(401);
    expect(refused.socketClosed).toBe(true);
  });

  it(`closes its open /v1/events sockets with ${revokedCloseCode}, leaving other tokens' open`, async () => {
    const doomed = engine.tokens.createToken({ scopes: ['read'] });
    const kept = engine.tokens.createToken({ scopes: ['read'] });
    const byBearer = await connect(`${wsUrl}/v1/events`, bearer(doomed.token));
    const byTicket = await connect(`${wsUrl}/v1/events?ticket=${await ticketFor(doomed.token)}`);
    const other = await connect(`${wsUrl}/v1/events`, bearer(kept.token));
    for (const socket of [byBearer, byTicket, other]) await socket.next('hello');

    await revoke(doomed.id);
    const expected = { code: revokedCloseCode, reason: revokedCloseReason };
    expect(await closedWithin(byBearer)).toEqual(expected);
    expect(await closedWithin(byTicket)).toEqual(expected);
    // The other token's socket still answers.
    other.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await other.next('pong', 5000)).toEqual({ type: 'pong' });
    other.ws.close();
  });

  it(`closes its open /v1/live sessions with ${revokedCloseCode}`, async () => {
    const doomed = engine.tokens.createToken({ scopes: ['live'] });
    const live = await connect(`${wsUrl}/v1/live?save=false`, bearer(doomed.token));
    await live.next('ready');
    await revoke(doomed.id);
    expect(await closedWithin(live)).toEqual({
      code: revokedCloseCode,
      reason: revokedCloseReason,
    });
    for (let i = 0; i < 100 && engine.live.activeSessions > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(engine.live.activeSessions).toBe(0);
  });

  it('closes its sockets also when it was revoked outside this API (another process)', async () => {
    const doomed = engine.tokens.createToken({ scopes: ['read'] });
    const socket = await connect(`${wsUrl}/v1/events`, bearer(doomed.token));
    await socket.next('hello');
    // What `studio token revoke` in another process does: it writes the library, nothing else.
    expect(engine.repos.tokens.revoke(doomed.id, new Date().toISOString())).toBe(true);
    expect(await closedWithin(socket, 10_000)).toEqual({
      code: revokedCloseCode,
      reason: revokedCloseReason,
    });
  }, 15_000);
});

describe('WebSocket tickets', () => {
  it('are given to any valid token with exactly its scopes: a live-only token opens /v1/live', async () => {
    const liveOnly = engine.tokens.createToken({ scopes: ['live'] });
    const live = await connect(
      `${wsUrl}/v1/live?save=false&ticket=${await ticketFor(liveOnly.token)}`,
    );
    expect((await live.next('ready')).type).toBe('ready');
    live.ws.send(JSON.stringify({ type: 'stop' }));
    expect((await closedWithin(live)).code).toBe(1000);

    // The ticket is worth what the token is: no read scope, no job events.
    const refused = await refusedStatus(
      `${wsUrl}/v1/events?ticket=${await ticketFor(liveOnly.token)}`,
    );
    expect(refused.status).toBe(403);
    // And nothing without a valid token.
    expect((await request('POST', '/v1/ws-tickets', {})).status).toBe(401);
  });
});
