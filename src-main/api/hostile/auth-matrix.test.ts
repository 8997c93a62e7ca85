/**
 * The auth/scope matrix, generated from the route table and the OpenAPI document of a real app:
 * every route × (no token, a bad token, a malformed header, a revoked token, a token of each
 * scope). A route added tomorrow is in this matrix without anyone editing it, and a route that is
 * in neither the OpenAPI document nor the allow-list below fails the suite.
 */
import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenScopes } from '../../engine/auth/tokens';
import { speech } from '../../engine/whisper/__fixtures__/whisper-fixtures';
import { sampleDocument } from '../../engine/exports/__fixtures__/sample-document';
import { refusedStatus } from '../routes/events/ws-test-client';
import { fillPath, isErrorShape, startHostileApp, type RouteEntry } from './hostile-app';
import { minimalValue, readOperations } from './openapi';

const h = await startHostileApp({ listen: true });
afterAll(() => h.close());

// Real items for the reads, so a GET reaches its handler's real work and not only a 404.
const media = await h.engine.media.add(speech.jfk);
const transcript = h.engine.repos.transcripts.insert({
  mediaId: media.id,
  modelId: null,
  language: 'en',
  document: sampleDocument(),
});

const operations = readOperations((await h.inject('/openapi.json')).json());
const operationOf = (route: RouteEntry) =>
  operations.find((op) => op.method === route.method && op.routeUrl === route.url) ??
  // Fastify adds a HEAD for every GET; it is described by its GET.
  (route.method === 'HEAD'
    ? operations.find((op) => op.method === 'GET' && op.routeUrl === route.url)
    : undefined);

/**
 * Routes that are not part of the API and so not in its description. Everything else Fastify
 * knows must be in the OpenAPI document, where the matrix below finds it.
 */
const notInDocument: { pattern: RegExp; why: string }[] = [
  { pattern: /^\/openapi\.json$/, why: 'the API description itself (schema.hide)' },
  { pattern: /^\/docs(\/.*)?$/, why: 'Swagger UI and its static files (@fastify/swagger-ui)' },
  { pattern: /^\/(\*)?$/, why: 'the renderer’s static files and app shell (@fastify/static)' },
];
const allowListed = (route: RouteEntry) => notInDocument.some((a) => a.pattern.test(route.url));

/** The only documented routes that answer without a token. */
const publicRoutes = new Set(['/health']);

const apiRoutes = h.routes.filter((route) => !allowListed(route));
const protectedRoutes = apiRoutes.filter((route) => !publicRoutes.has(route.url));

const randomId = () => `hostile-${randomBytes(6).toString('hex')}`;

/** A real id where one exists for a read; a random one otherwise (writes must not destroy fixtures). */
function idFor(route: RouteEntry, param: string): string {
  const read = route.method === 'GET' || route.method === 'HEAD';
  if (!read || param !== 'id') return randomId();
  if (route.url.startsWith('/v1/media/')) return media.id;
  if (route.url.startsWith('/v1/transcripts/')) return transcript.id;
  if (route.url.startsWith('/v1/models/')) return 'tiny-random';
  return randomId();
}

/** The request a route gets: path filled, required query parameters and a minimal JSON body. */
function requestFor(route: RouteEntry): InjectOptions {
  const op = operationOf(route);
  const query = new URLSearchParams();
  for (const parameter of op?.parameters ?? []) {
    if (parameter.in !== 'query' || !parameter.required || !parameter.schema) continue;
    query.set(parameter.name, String(minimalValue(parameter.schema)));
  }
  const url = fillPath(route.url, (param) => idFor(route, param));
  const search = query.size > 0 ? `?${query}` : '';
  const hasBody = route.method !== 'GET' && route.method !== 'HEAD' && route.method !== 'DELETE';
  const body = hasBody && op?.jsonBody ? minimalValue(op.jsonBody) : undefined;
  return {
    method: route.method,
    url: `${url}${search}`,
    ...(body !== undefined && { payload: JSON.stringify(body) }),
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
  };
}

const send = (route: RouteEntry, authorization?: string) => {
  const request = requestFor(route);
  return h.inject({
    ...request,
    headers: { ...request.headers, ...(authorization !== undefined && { authorization }) },
  });
};

/** What a refusal must look like: status, challenge, and (but for HEAD) the standard body. */
function expectRefused(
  response: LightMyRequestResponse,
  route: RouteEntry,
  status: 401 | 403,
  code: string,
  challenge: RegExp,
  label: string,
) {
  const where = `${route.method} ${route.url} ${label}`;
  expect(response.statusCode, where).toBe(status);
  expect(response.headers['www-authenticate'], where).toMatch(challenge);
  if (route.method !== 'HEAD') {
    expect(isErrorShape(response.json()), where).toBe(true);
    expect(response.json().error.code, where).toBe(code);
  }
}

describe('the route table and the OpenAPI document', () => {
  it('every route Fastify knows is described in the OpenAPI document or allow-listed', () => {
    // The matrix runs on what the route table says; a sanity floor keeps a broken hook visible.
    expect(h.routes.length).toBeGreaterThan(40);
    const missing = apiRoutes
      .filter((route) => !operationOf(route))
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    // And the allow-list only lets through what it says (hidden routes and the two plugins).
    for (const route of h.routes.filter(allowListed)) {
      expect(operationOf(route), `${route.method} ${route.url}`).toBeUndefined();
    }
  });

  it('every operation in the document is a route, with no path outside /v1 but /health', () => {
    for (const op of operations) {
      const route = h.routes.find((r) => r.method === op.method && r.url === op.routeUrl);
      expect(route, `${op.method} ${op.path}`).toBeDefined();
      expect(op.routeUrl.startsWith('/v1/') || publicRoutes.has(op.routeUrl), op.path).toBe(true);
    }
  });

  it('knows the WebSocket routes as such', () => {
    const sockets = h.routes.filter((r) => r.webSocket && r.method === 'GET').map((r) => r.url);
    expect(sockets.sort()).toEqual(['/v1/events', '/v1/live']);
  });
});

describe('the scope matrix', () => {
  it.each(protectedRoutes.map((route) => [`${route.method} ${route.url}`, route] as const))(
    '%s: 401 without a valid token, 403 below its scope, served at or above it',
    async (_name, route) => {
      const bad = `Bearer sts_${randomBytes(32).toString('base64url')}`;
      expectRefused(await send(route), route, 401, 'UNAUTHORIZED', /^Bearer realm="studio"$/, '');
      for (const [label, authorization] of [
        ['bad token', bad],
        ['revoked token', `Bearer ${h.tokens.revoked}`],
        ['token with a trailing byte', `Bearer ${h.tokens.admin}x`],
      ] as const) {
        expectRefused(
          await send(route, authorization),
          route,
          401,
          'UNAUTHORIZED',
          /error="invalid_token"/,
          label,
        );
      }
      // Not a bearer token at all: treated as none.
      for (const authorization of [`Basic ${h.tokens.admin}`, 'Bearer', `${h.tokens.admin}`]) {
        expectRefused(
          await send(route, authorization),
          route,
          401,
          'UNAUTHORIZED',
          /^Bearer realm="studio"$/,
          authorization.slice(0, 12),
        );
      }

      for (const scope of tokenScopes) {
        const response = await send(route, `Bearer ${h.tokens[scope]}`);
        const allowed =
          scope === 'admin' || route.neededScope === 'any' || scope === route.neededScope;
        const where = `${route.method} ${route.url} with a ${scope} token`;
        if (!allowed) {
          expectRefused(
            response,
            route,
            403,
            'FORBIDDEN_SCOPE',
            new RegExp(`scope="${route.neededScope}"`),
            `with a ${scope} token`,
          );
        } else {
          expect([401, 403], `${where}: ${response.body}`).not.toContain(response.statusCode);
          expect(response.statusCode, `${where}: ${response.body}`).toBeLessThan(500);
          if (response.statusCode >= 400 && route.method !== 'HEAD') {
            expect(isErrorShape(response.json()), `${where}: ${response.body}`).toBe(true);
          }
        }
      }
    },
  );

  it('lets a token below admin change state only through the reviewed routes', () => {
    // Writes default to admin. A route that opts down (config.scope) hands state changes to
    // scripts with lesser tokens: each one is listed here, so adding one is a reviewed decision.
    const reviewed = [
      'POST /v1/media', // transcribe: add media by path or upload
      'POST /v1/media/:id/stream-url', // read: a signed URL to read one file
      'POST /v1/audio/transcriptions', // transcribe: OpenAI-compatible, nothing is stored
      'POST /v1/audio/translations', // transcribe: same
      'POST /v1/jobs', // transcribe: transcribe, retranscribe-span, export
      'DELETE /v1/jobs/:id', // transcribe: cancel
      'POST /v1/jobs/:id/retry', // transcribe
      'POST /v1/ws-tickets', // a ticket worth exactly the token that asks
      'POST /v1/session', // a browser session worth exactly the token that asks
      'DELETE /v1/session', // signing one's own browser session out
    ];
    const belowAdmin = protectedRoutes
      .filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && r.neededScope !== 'admin')
      .map((r) => `${r.method} ${r.url}`);
    expect(belowAdmin.sort()).toEqual(reviewed.sort());
    // Each scope guards something; a token scope nothing needs would be a dead letter.
    const needed = new Set(protectedRoutes.map((r) => r.neededScope));
    for (const scope of tokenScopes) expect(needed.has(scope), scope).toBe(true);
  });

  it('needs a token for unknown /v1 paths and methods too', async () => {
    for (const [method, url] of [
      ['GET', '/v1/hostile-unknown'],
      ['PUT', '/v1/media'],
      ['DELETE', '/v1/settings'],
      ['GET', '/v1'],
      ['GET', '/v1/media/..%2f..%2fhealth'],
    ] as const) {
      const response = await h.inject({ method, url });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
      expect(response.headers['www-authenticate'], url).toMatch(/^Bearer/);
    }
  });

  it('leaves only /health open', async () => {
    expect((await h.inject('/health')).statusCode).toBe(200);
    expect((await h.inject({ method: 'HEAD', url: '/health' })).statusCode).toBe(200);
  });
});

describe('WebSocket upgrades without valid auth', () => {
  const sockets = h.routes.filter((r) => r.webSocket && r.method === 'GET');
  const wsBase = () => `ws://127.0.0.1:${h.port}`;

  it.each(sockets.map((route) => [route.url, route] as const))(
    '%s refuses the upgrade and hangs up',
    async (_url, route) => {
      const url = `${wsBase()}${route.url}`;
      const cases: [string, string, Record<string, string>, number][] = [
        ['no token', url, {}, 401],
        ['unknown ticket', `${url}?ticket=${randomBytes(16).toString('base64url')}`, {}, 401],
        ['empty ticket', `${url}?ticket=`, {}, 401],
        ['revoked token', url, h.bearer(h.tokens.revoked), 401],
        ['bad token', url, { authorization: 'Bearer sts_nope' }, 401],
      ];
      // A token of a scope the route does not accept.
      const below = tokenScopes.find((s) => s !== 'admin' && s !== route.neededScope);
      if (below) cases.push([`${below} token`, url, h.bearer(h.tokens[below]), 403]);
      for (const [label, target, headers, status] of cases) {
        const refused = await refusedStatus(target, headers);
        expect(refused.status, `${route.url} ${label}`).toBe(status);
        expect(isErrorShape(JSON.parse(refused.body)), `${route.url} ${label}`).toBe(true);
        expect(refused.socketClosed, `${route.url} ${label}: the server hung up`).toBe(true);
      }
    },
  );

  it('a ticket is one use only, and a ticket made for a read token does not open /v1/live', async () => {
    const ticket = async (token: string) =>
      (await h.inject({ method: 'POST', url: '/v1/ws-tickets', headers: h.bearer(token) })).json()
        .ticket as string;
    const readTicket = await ticket(h.tokens.read);
    expect((await refusedStatus(`${wsBase()}/v1/live?ticket=${readTicket}`)).status).toBe(403);
    // Refused once, spent: it does not open /v1/events afterwards either.
    expect((await refusedStatus(`${wsBase()}/v1/events?ticket=${readTicket}`)).status).toBe(401);
  });
});

describe('afterwards', () => {
  it('the engine is alive and /health answers 200', async () => {
    const response = await fetch(`${h.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
