import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database';
import { createTokensRepo, type TokensRepo } from '../store/tokens-repo';
import { createTokenService, hasScope, type TokenService } from './tokens';

let db: Db;
let repo: TokensRepo;
let clock: Date;
let tokens: TokenService;

beforeEach(() => {
  db = openDatabase(':memory:');
  repo = createTokensRepo(db);
  clock = new Date('2025-01-01T00:00:00.000Z');
  tokens = createTokenService({ repo, now: () => clock });
});
afterEach(() => db.close());

const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));
const rows = () =>
  db.prepare('SELECT * FROM api_tokens ORDER BY created_at').all() as Record<string, unknown>[];

describe('tokens repo', () => {
  it('stores scopes as JSON, revokes once and keeps revoked tokens listed', () => {
    repo.insert({
      id: 'a',
      name: 'ci',
      tokenHash: 'ab'.repeat(32),
      scopes: ['read'],
      createdAt: 't0',
    });
    expect(rows()[0]).toMatchObject({ scopes: '["read"]', last_used_at: null, revoked_at: null });
    expect(repo.revoke('a', 't1')).toBe(true);
    expect(repo.revoke('a', 't2')).toBe(true);
    expect(repo.get('a')?.revokedAt).toBe('t1');
    expect(repo.listActive()).toEqual([]);
    expect(repo.list()).toHaveLength(1);
    expect(repo.revoke('missing', 't3')).toBe(false);
  });

  it('refuses a duplicate hash', () => {
    const record = {
      id: 'a',
      name: null,
      tokenHash: 'cd'.repeat(32),
      scopes: ['read'],
      createdAt: 't',
    };
    repo.insert(record);
    expect(() => repo.insert({ ...record, id: 'b' })).toThrow(/UNIQUE/);
  });
});

describe('token service', () => {
  it('creates sts_ tokens of 32 random bytes and stores only their SHA-256', () => {
    const { id, token } = tokens.createToken({ name: 'script', scopes: ['read', 'transcribe'] });
    expect(token).toMatch(/^sts_[A-Za-z0-9_-]{43}$/);
    const [row] = rows();
    expect(row).toMatchObject({
      id,
      name: 'script',
      token_hash: createHash('sha256').update(token).digest('hex'),
      scopes: '["read","transcribe"]',
      created_at: clock.toISOString(),
    });
    // The secret appears nowhere in the database.
    expect(JSON.stringify(rows())).not.toContain(token.slice(4));
    expect(tokens.createToken({ scopes: ['read'] }).token).not.toBe(token);
  });

  it('verifies a token to its id and scopes, and rejects unknown or malformed ones', () => {
    const { id, token } = tokens.createToken({ scopes: ['transcribe'] });
    expect(tokens.verify(token)).toEqual({ id, scopes: ['transcribe'] });
    expect(tokens.verify(`${token}x`)).toBeNull();
    expect(tokens.verify('sts_nope')).toBeNull();
    expect(tokens.verify(token.slice(4))).toBeNull();
    expect(tokens.verify('')).toBeNull();
  });

  it('records last use at most once a minute', () => {
    const { id, token } = tokens.createToken({ scopes: ['read'] });
    expect(tokens.list()[0]?.lastUsedAt).toBeNull();
    tokens.verify(token);
    const first = clock.toISOString();
    expect(repo.get(id)?.lastUsedAt).toBe(first);
    advance(30_000);
    tokens.verify(token);
    expect(repo.get(id)?.lastUsedAt).toBe(first);
    advance(31_000);
    tokens.verify(token);
    expect(repo.get(id)?.lastUsedAt).toBe(clock.toISOString());
  });

  it('revokes: the token stops verifying, stays listed, and an unknown id is NOT_FOUND', () => {
    const { id, token } = tokens.createToken({ scopes: ['admin'] });
    advance(1000);
    expect(tokens.revoke(id)).toMatchObject({ id, revokedAt: clock.toISOString() });
    expect(tokens.verify(token)).toBeNull();
    expect(tokens.list()).toEqual([
      expect.objectContaining({ id, revokedAt: clock.toISOString() }),
    ]);
    expect(() => tokens.revoke('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('says whether a token id is still active and tells listeners of each revocation', () => {
    const doomed = tokens.createToken({ scopes: ['read'] });
    const kept = tokens.createToken({ scopes: ['read'] });
    const heard: string[] = [];
    const stop = tokens.onRevoked((id) => heard.push(`${id}:${tokens.isActive(id)}`));
    expect([tokens.isActive(doomed.id), tokens.isActive(kept.id)]).toEqual([true, true]);

    tokens.revoke(doomed.id);
    // The listener runs once the revocation is stored.
    expect(heard).toEqual([`${doomed.id}:false`]);
    expect([tokens.isActive(doomed.id), tokens.isActive(kept.id)]).toEqual([false, true]);
    expect(tokens.isActive('no-such-id')).toBe(false);
    // The in-memory session token cannot be revoked.
    expect(tokens.isActive(tokens.verify(tokens.sessionToken(['read']))!.id)).toBe(true);
    // A revocation written by another process (straight to the library) is seen too.
    repo.revoke(kept.id, clock.toISOString());
    expect(tokens.isActive(kept.id)).toBe(false);

    stop();
    expect(() => tokens.revoke('nope')).toThrow();
    tokens.revoke(kept.id);
    expect(heard).toHaveLength(1);
  });

  it('lists without secrets or hashes', () => {
    const { token } = tokens.createToken({ name: 'x', scopes: ['live'] });
    const listed = tokens.list();
    expect(Object.keys(listed[0]!).sort()).toEqual(
      ['createdAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'scopes'].sort(),
    );
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(JSON.stringify(listed)).not.toContain(rows()[0]!.token_hash as string);
  });

  it('refuses unknown and empty scopes with INVALID_ARGUMENT', () => {
    expect(() => tokens.createToken({ scopes: ['read', 'root'] })).toThrow(
      /Unknown scope "root"; choose from read, transcribe, live, admin/,
    );
    expect(() => tokens.createToken({ scopes: [] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(rows()).toEqual([]);
  });

  it('admin implies every scope; others only themselves', () => {
    for (const scope of ['read', 'transcribe', 'live', 'admin'] as const) {
      expect(hasScope(['admin'], scope)).toBe(true);
    }
    expect(hasScope(['read'], 'transcribe')).toBe(false);
    expect(hasScope(['read', 'live'], 'live')).toBe(true);
    expect(hasScope(['transcribe'], 'admin')).toBe(false);
  });

  it('session tokens verify in this process only and never touch the database', () => {
    const session = tokens.sessionToken(['admin']);
    expect(session).toMatch(/^sts_/);
    expect(tokens.sessionToken(['admin'])).toBe(session);
    expect(tokens.verify(session)).toEqual({ id: 'session', scopes: ['admin'] });
    expect(rows()).toEqual([]);
    // A fresh service (a new process) does not know it.
    expect(createTokenService({ repo }).verify(session)).toBeNull();
  });
});
