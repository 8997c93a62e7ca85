import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { buildApp } from '../../app';
import { startServer } from '../../server';
import { revokedCloseCode } from '../../token-sockets';
import { connect } from '../events/ws-test-client';

let dataDir: string;
let engine: Engine;
let app: FastifyInstance;
let clock: number;
/** The link `serve` prints carries this token (the engine's in-memory admin session token). */
let linkToken: string;

/** `app.inject` talks to `localhost:80`, so the page's own origin is this. */
const ownOrigin = 'http://localhost';
const cookieName = 'studio_session_80';

async function open(): Promise<void> {
  engine = createEngine({ dataDir });
  app = await buildApp({ engine, session: { now: () => clock } });
  linkToken = engine.tokens.sessionToken(['admin']);
}
async function close(): Promise<void> {
  await app.close();
  await engine.shutdown();
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'studio-session-'));
  clock = Date.parse('2026-12-07T22:00:00Z');
  await open();
});
afterEach(async () => {
  await close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The `name=value` of the session cookie a response sets, and the whole Set-Cookie line. */
function sessionCookie(response: LightMyRequestResponse): { pair: string; line: string } {
  const header = response.headers['set-cookie'];
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const line = lines.find((l) => l.startsWith(`${cookieName}=`));
  if (!line) throw new Error(`no ${cookieName} cookie in ${JSON.stringify(header)}`);
  return { pair: line.split(';', 1)[0]!, line };
}

const signIn = async (token: string) =>
  app.inject({
    method: 'POST',
    url: '/v1/session',
    headers: { authorization: `Bearer ${token}`, origin: ownOrigin },
  });

describe('POST /v1/session: the link token is exchanged for a session cookie', () => {
  it('sets an HttpOnly, SameSite=Strict cookie for the whole site, not Secure over http', async () => {
    const response = await signIn(linkToken);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ via: 'cookie', scopes: ['admin'] });
    const { line } = sessionCookie(response);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Strict/);
    expect(line).toMatch(/; Path=\//);
    expect(line).toMatch(/; Max-Age=\d+/);
    expect(line).not.toMatch(/Secure/);
  });

  it('refuses a wrong token and sets no cookie', async () => {
    const response = await signIn('sts_not-a-real-token');
    expect(response.statusCode).toBe(401);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('keeps the secret it signs with in the data folder, readable by its owner only', async () => {
    await signIn(linkToken);
    const mode = statSync(join(dataDir, 'browser-session.key')).mode & 0o777;
    if (process.platform !== 'win32') expect(mode).toBe(0o600);
  });
});

describe('the session cookie authenticates the API', () => {
  it('is accepted on GETs and, from the studio’s own page, on the WebSocket ticket route', async () => {
    const { pair } = sessionCookie(await signIn(linkToken));
    const system = await app.inject({ url: '/v1/system', headers: { cookie: pair } });
    expect(system.statusCode).toBe(200);
    const ticket = await app.inject({
      method: 'POST',
      url: '/v1/ws-tickets',
      headers: { cookie: pair, origin: ownOrigin },
    });
    expect(ticket.statusCode).toBe(201);
    expect(ticket.json().ticket).toMatch(/^wst_/);
    const info = await app.inject({ url: '/v1/session', headers: { cookie: pair } });
    expect(info.json()).toMatchObject({ via: 'cookie', scopes: ['admin'] });
  });

  it('refuses a state-changing request from another origin, or with no Origin at all', async () => {
    const { pair } = sessionCookie(await signIn(linkToken));
    const other = await app.inject({
      method: 'POST',
      url: '/v1/ws-tickets',
      headers: { cookie: pair, origin: 'http://127.0.0.1:9999' },
    });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
    const none = await app.inject({
      method: 'POST',
      url: '/v1/ws-tickets',
      headers: { cookie: pair },
    });
    expect(none.statusCode).toBe(403);
    expect(none.json()).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
  });

  it('is refused once tampered with', async () => {
    const { pair } = sessionCookie(await signIn(linkToken));
    const tampered = `${pair.slice(0, -2)}${pair.endsWith('A') ? 'B' : 'A'}${pair.slice(-1)}`;
    const response = await app.inject({ url: '/v1/system', headers: { cookie: tampered } });
    expect(response.statusCode).toBe(401);
  });

  it('carries the scopes of the token it was exchanged for', async () => {
    const reader = engine.tokens.createToken({ scopes: ['read'] });
    const { pair } = sessionCookie(await signIn(reader.token));
    expect((await app.inject({ url: '/v1/system', headers: { cookie: pair } })).statusCode).toBe(
      200,
    );
    const tokens = await app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: { cookie: pair, origin: ownOrigin },
      payload: { scopes: ['admin'] },
    });
    expect(tokens.statusCode).toBe(403);
    expect(tokens.json()).toMatchObject({ error: { code: 'FORBIDDEN_SCOPE' } });
  });
});

describe('a session ends', () => {
  it('when signed out (DELETE /v1/session), and the browser is told to drop the cookie', async () => {
    const { pair } = sessionCookie(await signIn(linkToken));
    const out = await app.inject({
      method: 'DELETE',
      url: '/v1/session',
      headers: { cookie: pair, origin: ownOrigin },
    });
    expect(out.statusCode).toBe(204);
    expect(sessionCookie(out).line).toMatch(/Max-Age=0/);
    const after = await app.inject({ url: '/v1/system', headers: { cookie: pair } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toMatch(/session has ended/);
    expect(after.json().error.remedy).toMatch(/link `serve` printed/);
  });

  it('for what it handed out too: a WebSocket ticket it got is refused after sign-out', async () => {
    const { pair } = sessionCookie(await signIn(linkToken));
    const { ticket } = (
      await app.inject({
        method: 'POST',
        url: '/v1/ws-tickets',
        headers: { cookie: pair, origin: ownOrigin },
      })
    ).json();
    await app.inject({
      method: 'DELETE',
      url: '/v1/session',
      headers: { cookie: pair, origin: ownOrigin },
    });
    const upgrade = await app.inject({
      url: `/v1/events?ticket=${ticket}`,
      headers: { upgrade: 'websocket', connection: 'Upgrade', origin: ownOrigin },
    });
    expect(upgrade.statusCode).toBe(401);
    expect(upgrade.json().error.message).toMatch(/revoked/);
  });

  it('when the token it was exchanged for is revoked', async () => {
    const stored = engine.tokens.createToken({ scopes: ['admin'] });
    const { pair } = sessionCookie(await signIn(stored.token));
    expect((await app.inject({ url: '/v1/system', headers: { cookie: pair } })).statusCode).toBe(
      200,
    );
    engine.tokens.revoke(stored.id);
    expect((await app.inject({ url: '/v1/system', headers: { cookie: pair } })).statusCode).toBe(
      401,
    );
  });

  it('when it expires (30 days after sign-in)', async () => {
    const { pair } = sessionCookie(await signIn(linkToken));
    clock += 29 * 24 * 3600_000;
    expect((await app.inject({ url: '/v1/system', headers: { cookie: pair } })).statusCode).toBe(
      200,
    );
    clock += 2 * 24 * 3600_000;
    expect((await app.inject({ url: '/v1/system', headers: { cookie: pair } })).statusCode).toBe(
      401,
    );
  });
});

describe('a restart of the engine on the same data folder', () => {
  it('keeps a session, but not a signed-out one', async () => {
    const kept = sessionCookie(await signIn(linkToken)).pair;
    const ended = sessionCookie(await signIn(linkToken)).pair;
    await app.inject({
      method: 'DELETE',
      url: '/v1/session',
      headers: { cookie: ended, origin: ownOrigin },
    });
    await close();
    await open();
    expect((await app.inject({ url: '/v1/system', headers: { cookie: kept } })).statusCode).toBe(
      200,
    );
    expect((await app.inject({ url: '/v1/system', headers: { cookie: ended } })).statusCode).toBe(
      401,
    );
  });

  it('does not carry sessions to another data folder', async () => {
    const { pair } = sessionCookie(await signIn(linkToken));
    await close();
    const first = dataDir;
    dataDir = mkdtempSync(join(tmpdir(), 'studio-session-'));
    await open();
    expect((await app.inject({ url: '/v1/system', headers: { cookie: pair } })).statusCode).toBe(
      401,
    );
    rmSync(first, { recursive: true, force: true });
  });
});

describe('a request without any credentials', () => {
  it('is told how to get in, naming commands that exist', async () => {
    const response = await app.inject('/v1/system');
    expect(response.statusCode).toBe(401);
    const { remedy } = response.json().error;
    expect(remedy).toMatch(/`npx studio token create --scopes [\w,]+`/);
  });
});

describe('on real loopback HTTP and WebSockets', () => {
  it('a cookie session gets a ticket, opens the events socket, and signing out closes it', async () => {
    const server = await startServer({ engine });
    try {
      const origin = server.url;
      const signedIn = await fetch(`${server.url}/v1/session`, {
        method: 'POST',
        headers: { authorization: `Bearer ${linkToken}`, origin },
      });
      expect(signedIn.status).toBe(201);
      const setCookie = signedIn.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(new RegExp(`^studio_session_${server.port}=`));
      const cookie = setCookie.split(';', 1)[0]!;

      const ticketResponse = await fetch(`${server.url}/v1/ws-tickets`, {
        method: 'POST',
        headers: { cookie, origin },
      });
      expect(ticketResponse.status).toBe(201);
      const { ticket } = (await ticketResponse.json()) as { ticket: string };
      const socket = await connect(
        `${server.url.replace(/^http/, 'ws')}/v1/events?ticket=${ticket}`,
        { origin },
      );
      await socket.next('hello');

      const out = await fetch(`${server.url}/v1/session`, {
        method: 'DELETE',
        headers: { cookie, origin },
      });
      expect(out.status).toBe(204);
      expect((await socket.closed).code).toBe(revokedCloseCode);
    } finally {
      await server.close();
    }
  });
});
