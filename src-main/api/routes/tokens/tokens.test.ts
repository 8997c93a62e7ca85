import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenScope, type CreatedToken, type TokenList } from '../../../contract/tokens';
import { tokenScopes } from '../../../engine/auth/tokens';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { buildApp } from '../../app';

const work = mkdtempSync(join(tmpdir(), 'studio-tokens-'));
let engine: Engine;
let app: FastifyInstance;
let admin: Record<string, string>;

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  app = await buildApp({ engine });
  admin = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
});
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const call = (
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  headers: Record<string, string> = admin,
  payload?: object,
) => app.inject({ method, url, headers, ...(payload && { payload }) });

describe('/v1/tokens', () => {
  it('creates a token shown once, lists it without the secret, and revokes it for good', async () => {
    const created = await call('POST', '/v1/tokens', admin, {
      name: '  CI script ',
      scopes: ['read', 'transcribe'],
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json() as CreatedToken;
    expect(token).toMatch(/^sts_/);

    const asNew = bearer(token);
    expect((await call('GET', '/v1/media', asNew)).statusCode).toBe(200);
    const listed = (await call('GET', '/v1/tokens')).json() as TokenList;
    const entry = listed.tokens.find((t) => t.id === id);
    expect(entry).toEqual({
      id,
      name: 'CI script',
      scopes: ['read', 'transcribe'],
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain(token);

    const revoked = await call('DELETE', `/v1/tokens/${id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id, revokedAt: expect.any(String) });
    const refused = await call('GET', '/v1/media', asNew);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toMatch(/revoked/);
    expect(
      ((await call('GET', '/v1/tokens')).json() as TokenList).tokens.find((t) => t.id === id)
        ?.revokedAt,
    ).toEqual(expect.any(String));
  });

  it('refuses bad input with 400, an unknown id with 404 and anyone but admin with 403', async () => {
    for (const body of [{ scopes: [] }, { scopes: ['root'] }, { name: 'x' }]) {
      const response = await call('POST', '/v1/tokens', admin, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.code).toBe('INVALID_ARGUMENT');
    }
    expect((await call('DELETE', '/v1/tokens/nope')).statusCode).toBe(404);

    const transcriber = bearer(engine.tokens.createToken({ scopes: ['read', 'transcribe'] }).token);
    for (const [method, url] of [
      ['GET', '/v1/tokens'],
      ['POST', '/v1/tokens'],
      ['DELETE', '/v1/tokens/any'],
    ] as const) {
      const response = await call(method, url, transcriber, { scopes: ['admin'] });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it('offers exactly the scopes the engine knows', () => {
    expect(tokenScope.options).toEqual([...tokenScopes]);
  });
});
