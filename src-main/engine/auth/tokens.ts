import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { EngineError, isEngineError } from '../errors';
import type { TokenRecord, TokensRepo } from '../store/tokens-repo';

/** What a token may do. `admin` implies every other scope. */
export const tokenScopes = ['read', 'transcribe', 'live', 'admin'] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** A token as listed: everything but the secret (and its hash). */
export interface TokenInfo {
  id: string;
  name: string | null;
  scopes: TokenScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface VerifiedToken {
  /** The stored token's id, or `session` for the in-memory UI session token. */
  id: string;
  scopes: TokenScope[];
}

export interface TokenService {
  /** Creates a stored token. The returned `token` is the only time the secret is available. */
  createToken(input: { name?: string | null; scopes: readonly string[] }): {
    id: string;
    token: string;
  };
  list(): TokenInfo[];
  /** Revokes a stored token. Throws NOT_FOUND for an unknown id. */
  revoke(id: string): TokenInfo;
  /** The token's id and scopes, or null when it is unknown, malformed or revoked. */
  verify(token: string): VerifiedToken | null;
  /**
   * True while the token with this id (a `VerifiedToken.id`) is not revoked: what grants derived
   * from a token (signed URLs, WebSocket tickets, open sockets) check before they are honoured.
   * One primary-key read, so it also sees a revocation another process wrote. `session` is
   * always active.
   */
  isActive(id: string): boolean;
  /**
   * Calls `listener` with the id of each token revoked through this service, right after it is
   * stored. Returns the unsubscribe function.
   */
  onRevoked(listener: (id: string) => void): () => void;
  /**
   * A per-process token for the desktop UI (or the browser opened by `serve`). It lives only in
   * memory, is never written to disk, and dies with the process. Same scopes, same token.
   */
  sessionToken(scopes: readonly TokenScope[]): string;
}

export interface TokenServiceOptions {
  repo: TokensRepo;
  /** @default () => new Date() */
  now?: () => Date;
}

const tokenPrefix = 'sts_';
/** The id of every in-memory session token (stored token ids are UUIDs). */
const sessionId = 'session';
/** `last_used_at` is written at most this often per token, so verifying stays read-only. */
const touchIntervalMs = 60_000;

export const isTokenScope = (value: string): value is TokenScope =>
  (tokenScopes as readonly string[]).includes(value);

/** True when `granted` allows `needed`; `admin` allows everything. */
export const hasScope = (granted: readonly TokenScope[], needed: TokenScope): boolean =>
  granted.includes('admin') || granted.includes(needed);

/** Validates scope names (e.g. from the command line), throwing INVALID_ARGUMENT on unknown ones. */
export function parseScopes(values: readonly string[]): TokenScope[] {
  const cleaned = values.map((v) => v.trim()).filter((v) => v !== '');
  const unknown = cleaned.filter((v) => !isTokenScope(v));
  if (unknown.length > 0) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; ` +
        `choose from ${tokenScopes.join(', ')}.`,
      { details: { unknown, allowed: [...tokenScopes] } },
    );
  }
  if (cleaned.length === 0) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `A token needs at least one scope; choose from ${tokenScopes.join(', ')}.`,
    );
  }
  return [...new Set(cleaned as TokenScope[])];
}

/**
 * SHA-256 of the secret, hex. A fast unsalted hash is right here: the secret is 256 random bits,
 * so there is nothing to brute-force and a slow password hash (scrypt, argon2) would only make
 * every API request slower.
 */
const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const newSecret = (): string => tokenPrefix + randomBytes(32).toString('base64url');

const toInfo = (r: TokenRecord): TokenInfo => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes.filter(isTokenScope),
  createdAt: r.createdAt,
  lastUsedAt: r.lastUsedAt,
  revokedAt: r.revokedAt,
});

export function createTokenService({
  repo,
  now = () => new Date(),
}: TokenServiceOptions): TokenService {
  /** Session tokens: hash → scopes. Memory only. */
  const sessions = new Map<string, TokenScope[]>();
  const sessionByScopes = new Map<string, string>();
  const revokedListeners = new Set<(id: string) => void>();

  /** Compares two hex SHA-256 digests in constant time. */
  const sameHash = (a: string, b: string): boolean => {
    const left = Buffer.from(a, 'hex');
    const right = Buffer.from(b, 'hex');
    return left.length === right.length && timingSafeEqual(left, right);
  };

  return {
    createToken({ name = null, scopes }) {
      const parsed = parseScopes(scopes);
      const token = newSecret();
      const id = randomUUID();
      repo.insert({
        id,
        name: name?.trim() || null,
        tokenHash: hashToken(token),
        scopes: parsed,
        createdAt: now().toISOString(),
      });
      return { id, token };
    },

    list: () => repo.list().map(toInfo),

    revoke(id) {
      if (!repo.revoke(id, now().toISOString())) {
        throw new EngineError(
          'NOT_FOUND',
          `There is no API token "${id}". \`token list\` shows them.`,
          {
            details: { id },
          },
        );
      }
      for (const listener of [...revokedListeners]) listener(id);
      return toInfo(repo.get(id)!);
    },

    isActive: (id) => id === sessionId || repo.get(id)?.revokedAt === null,

    onRevoked(listener) {
      revokedListeners.add(listener);
      return () => void revokedListeners.delete(listener);
    },

    verify(token) {
      if (typeof token !== 'string' || !token.startsWith(tokenPrefix)) return null;
      const hash = hashToken(token);
      // Compare against every candidate without stopping early, so timing says nothing about
      // which (if any) token matched. There are few tokens; a scan is cheap.
      let found: VerifiedToken | null = null;
      let foundRecord: TokenRecord | undefined;
      for (const [sessionHash, scopes] of sessions) {
        if (sameHash(sessionHash, hash)) found = { id: sessionId, scopes };
      }
      for (const record of repo.listActive()) {
        if (sameHash(record.tokenHash, hash)) {
          found = { id: record.id, scopes: record.scopes.filter(isTokenScope) };
          foundRecord = record;
        }
      }
      if (foundRecord) {
        const at = now();
        const last = foundRecord.lastUsedAt ? Date.parse(foundRecord.lastUsedAt) : Number.NaN;
        if (!(at.getTime() - last < touchIntervalMs)) {
          try {
            repo.touch(foundRecord.id, at.toISOString());
          } catch (error) {
            // Recording the use is a nicety: a full disk must not lock scripts out of reading.
            if (!isEngineError(error, 'DISK_FULL')) throw error;
          }
        }
      }
      return found;
    },

    sessionToken(scopes) {
      const parsed = parseScopes(scopes);
      const key = [...parsed].sort().join(',');
      const existing = sessionByScopes.get(key);
      if (existing) return existing;
      const token = newSecret();
      sessions.set(hashToken(token), parsed);
      sessionByScopes.set(key, token);
      return token;
    },
  };
}
