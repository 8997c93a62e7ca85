import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenService, type TokenService } from '../engine/auth/tokens';
import { openDatabase, type Db } from '../engine/store/database';
import { createTokensRepo } from '../engine/store/tokens-repo';
import { installSecurity } from './security';
import { createUrlSigner } from './signed-urls';
import { createTicketStore } from './ws-tickets';

let db: Db;
let tokens: TokenService;
let app: FastifyInstance;

beforeEach(async () => {
  db = openDatabase(':memory:');
  tokens = createTokenService({ repo: createTokensRepo(db) });
  app = Fastify();
  installSecurity(app, { tokens, allowedOrigins: ['http://localhost:5173/'] });
  app.get('/health', () => ({ status: 'ok' }));
  app.get('/', () => 'ui');
  await app.register(
    async (v1) => {
      v1.get('/things', (request) => ({ by: request.auth?.id }));
      v1.post('/things', () => ({ created: true }));
      v1.post('/jobs', { config: { scope: 'transcribe' } }, () => ({ queued: true }));
      v1.get('/live', { config: { scope: 'live' } }, () => ({ live: true }));
      v1.post('/tickets', { config: { scope: 'any' } }, (request) => ({ by: request.auth?.id }));
    },
    { prefix: '/v1' },
  );
});
afterEach(async () => {
  await app.close();
  db.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const token = (...scopes: string[]) => tokens.createToken({ scopes }).token;

describe('bearer auth on /v1', () => {
  it('answers 401 with WWW-Authenticate without a token', async () => {
    const response = await app.inject('/v1/things');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('answers 401 for a bad, malformed or revoked token', async () => {
    const valid = tokens.createToken({ scopes: ['admin'] });
    for (const authorization of [
      'Bearer sts_wrong',
      `Basic ${valid.token}`,
      `Bearer ${valid.token}x`,
      'Bearer',
    ]) {
      const response = await app.inject({ url: '/v1/things', headers: { authorization } });
      expect(response.statusCode, authorization).toBe(401);
    }
    expect((await app.inject({ url: '/v1/things', headers: bearer(valid.token) })).statusCode).toBe(
      200,
    );
    tokens.revoke(valid.id);
    const revoked = await app.inject({ url: '/v1/things', headers: bearer(valid.token) });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.headers['www-authenticate']).toContain('invalid_token');
  });

  it('enforces route scopes: GET needs read, others admin unless declared', async () => {
    const read = token('read');
    expect((await app.inject({ url: '/v1/things', headers: bearer(read) })).json()).toEqual({
      by: expect.any(String),
    });
    const post = await app.inject({ method: 'POST', url: '/v1/things', headers: bearer(read) });
    expect(post.statusCode).toBe(403);
    expect(post.json().error).toMatchObject({ code: 'FORBIDDEN_SCOPE' });
    expect(post.json().error.message).toContain('"admin"');

    const transcribe = token('transcribe');
    const job = await app.inject({ method: 'POST', url: '/v1/jobs', headers: bearer(transcribe) });
    expect(job.statusCode).toBe(200);
    const noRead = await app.inject({ url: '/v1/things', headers: bearer(transcribe) });
    expect(noRead.statusCode).toBe(403);
    expect(noRead.headers['www-authenticate']).toContain('scope="read"');

    const live = await app.inject({ url: '/v1/live', headers: bearer(read) });
    expect(live.statusCode).toBe(403);
    expect(live.json().error.message).toContain('"live"');

    // `any`: every valid token, whatever its scopes; still none without one.
    for (const scope of ['read', 'transcribe', 'live', 'admin']) {
      const valid = tokens.createToken({ scopes: [scope] });
      const any = await app.inject({
        method: 'POST',
        url: '/v1/tickets',
        headers: bearer(valid.token),
      });
      expect(any.json(), scope).toEqual({ by: valid.id });
    }
    expect((await app.inject({ method: 'POST', url: '/v1/tickets' })).statusCode).toBe(401);
  });

  it('admin may do everything, the in-memory session token included', async () => {
    for (const admin of [token('admin'), tokens.sessionToken(['admin'])]) {
      for (const [method, url] of [
        ['GET', '/v1/things'],
        ['POST', '/v1/things'],
        ['POST', '/v1/jobs'],
        ['GET', '/v1/live'],
      ] as const) {
        expect((await app.inject({ method, url, headers: bearer(admin) })).statusCode).toBe(200);
      }
    }
  });

  it('needs a token for unknown /v1 paths too, then answers 404', async () => {
    expect((await app.inject('/v1/nothing')).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/v1/nothing', headers: bearer(token('read')) })).statusCode,
    ).toBe(404);
  });

  it('leaves /health and the UI open', async () => {
    expect((await app.inject('/health')).statusCode).toBe(200);
    expect((await app.inject('/')).body).toBe('ui');
  });
});

describe('host check', () => {
  it('refuses a foreign Host everywhere, even with a valid token', async () => {
    const admin = token('admin');
    for (const url of ['/health', '/', '/v1/things']) {
      const response = await app.inject({
        url,
        headers: { host: 'evil.com', ...bearer(admin) },
      });
      expect(response.statusCode, url).toBe(403);
      expect(response.json()).toMatchObject({ error: { code: 'FORBIDDEN_HOST' } });
    }
    // A loopback name at another port is another server.
    expect(
      (await app.inject({ url: '/health', headers: { host: '127.0.0.1:1234' } })).statusCode,
    ).toBe(403);
  });

  it('accepts the loopback names at the bound port once listening', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      `LOCALHOST:${port}`,
    ]) {
      expect((await app.inject({ url: '/health', headers: { host } })).statusCode, host).toBe(200);
    }
    expect(
      (await app.inject({ url: '/health', headers: { host: 'localhost:80' } })).statusCode,
    ).toBe(403);
    // A real client over the socket.
    const response = await fetch(`http://127.0.0.1:${port}/v1/things`, {
      headers: bearer(token('read')),
    });
    expect(response.status).toBe(200);
  });
});

describe('origin check', () => {
  it('refuses requests from other origins, also to /health', async () => {
    const admin = token('admin');
    for (const origin of ['http://evil.com', 'null', 'http://localhost:81', 'https://localhost']) {
      const response = await app.inject({
        url: '/v1/things',
        headers: { origin, ...bearer(admin) },
      });
      expect(response.statusCode, origin).toBe(403);
      expect(response.json()).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
    }
    expect(
      (await app.inject({ url: '/health', headers: { origin: 'http://evil.com' } })).statusCode,
    ).toBe(403);
  });

  it('accepts its own origin, an allow-listed one and requests without Origin', async () => {
    const read = token('read');
    for (const headers of [
      { origin: 'http://localhost' },
      { origin: 'http://localhost:5173' },
      {},
    ]) {
      const response = await app.inject({
        url: '/v1/things',
        headers: { ...headers, ...bearer(read) },
      });
      expect(response.statusCode, JSON.stringify(headers)).toBe(200);
    }
  });
});

describe('WebSocket tickets', () => {
  it('let an upgrade in once, with the scopes of the token that asked, until they expire', async () => {
    let now = 1_000;
    const tickets = createTicketStore({ ttlMs: 30_000, now: () => now });
    const ws = Fastify();
    installSecurity(ws, { tokens, tickets });
    ws.get('/v1/live', { config: { scope: 'live' } }, (request) => ({ by: request.auth?.id }));
    const upgrade = (ticket: string) =>
      ws.inject({
        url: `/v1/live?ticket=${ticket}`,
        headers: { connection: 'upgrade', upgrade: 'websocket' },
      });

    const live = tokens.createToken({ scopes: ['live'] });
    const first = tickets.issue(tokens.verify(live.token)!);
    expect(first.expiresAt).toBe(new Date(31_000).toISOString());
    const admitted = await upgrade(first.ticket);
    expect(admitted.statusCode).toBe(200);
    expect(admitted.json()).toEqual({ by: live.id });
    const reused = await upgrade(first.ticket);
    expect(reused.statusCode).toBe(401);
    expect(reused.json().error.message).toMatch(/unknown, used or expired/);

    const reader = tickets.issue(tokens.verify(token('read'))!);
    expect((await upgrade(reader.ticket)).statusCode).toBe(403);

    const late = tickets.issue(tokens.verify(live.token)!);
    now += 30_000;
    expect((await upgrade(late.ticket)).statusCode).toBe(401);

    // A ticket dies with its token.
    const doomed = tokens.createToken({ scopes: ['live'] });
    const unused = tickets.issue(tokens.verify(doomed.token)!);
    tokens.revoke(doomed.id);
    const revoked = await upgrade(unused.ticket);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.message).toMatch(/revoked/);

    // A plain request cannot use a ticket: it is only for WebSocket upgrades.
    const plain = tickets.issue(tokens.verify(live.token)!);
    expect((await ws.inject({ url: `/v1/live?ticket=${plain.ticket}` })).statusCode).toBe(401);
    await ws.close();
  });
});

describe('signed URLs', () => {
  it('let a GET of exactly the signed path in without a token, with read scope only, until they expire', async () => {
    let now = 1_000_000;
    const signer = createUrlSigner({ ttlSec: 60, now: () => now });
    const media = Fastify();
    installSecurity(media, { tokens, signedUrls: signer });
    const file = (request: FastifyRequest) => ({
      by: request.auth?.id,
      scopes: request.auth?.scopes,
    });
    media.get('/v1/media/:id/file', { config: { signedUrl: true } }, file);
    media.get('/v1/media/:id', file);
    media.post('/v1/media/:id/file', { config: { signedUrl: true } }, file);

    const owner = tokens.createToken({ scopes: ['admin'] });
    const { url, expiresAt } = signer.sign('/v1/media/a/file', owner.id);
    expect(url).toMatch(new RegExp(`^/v1/media/a/file\\?exp=1060&tid=${owner.id}&sig=[\\w-]{43}$`));
    expect(expiresAt).toBe(new Date(1_060_000).toISOString());
    const admitted = await media.inject(url);
    expect(admitted.statusCode).toBe(200);
    // On behalf of the token that asked, but only to read (even when the token is admin).
    expect(admitted.json()).toEqual({ by: owner.id, scopes: ['read'] });

    const sig = new URL(url, 'http://x').searchParams.get('sig')!;
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    const refused = [
      // Another item, another route with the same query, a tampered signature or expiry.
      url.replace('/a/', '/b/'),
      url.replace('/file', ''),
      url.replace(sig, flipped),
      url.replace(sig, `${sig}A`),
      url.replace('exp=1060', 'exp=9999'),
      // Another token's id with this signature.
      url.replace(owner.id, tokens.createToken({ scopes: ['admin'] }).id),
      url.replace(/&tid=[^&]*/, ''),
      url.replace(/&sig=.*/, ''),
      '/v1/media/a/file?exp=1060&sig=',
    ];
    for (const bad of refused) {
      const response = await media.inject(bad);
      expect(response.statusCode, bad).toBe(401);
      expect(response.json().error.code).toBe('UNAUTHORIZED');
    }
    // Only GET: the same signed URL does not authorise a POST to the path.
    expect((await media.inject({ method: 'POST', url })).statusCode).toBe(401);
    // A URL signed by another signer (another engine run) does not work here.
    expect(
      (await media.inject(createUrlSigner().sign('/v1/media/a/file', owner.id).url)).statusCode,
    ).toBe(401);

    // Bound to its token: refused once that token is revoked, whatever the expiry says.
    const doomed = tokens.createToken({ scopes: ['read'] });
    const doomedUrl = signer.sign('/v1/media/a/file', doomed.id).url;
    expect((await media.inject(doomedUrl)).statusCode).toBe(200);
    tokens.revoke(doomed.id);
    const revoked = await media.inject(doomedUrl);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.message).toMatch(/revoked/);
    expect((await media.inject(url)).statusCode).toBe(200);

    now += 60_000;
    const expired = await media.inject(url);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.message).toMatch(/expired/);
    await media.close();
  });
});
