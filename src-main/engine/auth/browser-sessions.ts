import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isTokenScope, type TokenScope, type TokenService, type VerifiedToken } from './tokens';

/**
 * Browser sessions: what a browser holds (in an HttpOnly cookie) after it traded the link `serve`
 * printed, or any API token, for a session (`POST /v1/session`). One sign-in then works in every
 * tab of that browser, and across restarts of the engine on the same data folder.
 *
 * A session is a signed value, not a stored row: `<payload>.<HMAC-SHA256(payload)>`, where the
 * payload names a random session id, the id of the token it was exchanged for, that token's
 * scopes and the expiry. The key is a per-data-folder secret (`browser-session.key`, 32 random
 * bytes, mode 0600, created once), so a session outlives the process but not its data folder.
 * A session ends:
 * - when signed out: its id is kept, until it would have expired, in
 *   `browser-sessions-ended.json` beside the key (so a restart does not bring it back);
 * - when the token it was exchanged for is revoked (checked on every use);
 * - when it expires (`maxAgeMs` after sign-in);
 * - all at once when the key file is deleted (and the engine restarted).
 */
export interface BrowserSession {
  /** `browser-<sid>`: the VerifiedToken id requests, tickets and sockets of this session carry. */
  id: string;
  /** The id of the token it was exchanged for (`session` for the link `serve` printed). */
  tokenId: string;
  scopes: TokenScope[];
  expiresAt: Date;
}

export interface BrowserSessions {
  /** How long a session lasts from its sign-in. */
  readonly maxAgeMs: number;
  /** A new session on behalf of `token`: the cookie value to set and what it grants. */
  start(token: VerifiedToken): { value: string; session: BrowserSession };
  /** The session a cookie value names, or null when it is forged, expired, signed out or revoked. */
  verify(value: string): BrowserSession | null;
  /** Signs the session out for good (kept across restarts until it would have expired). */
  end(session: BrowserSession): Promise<void>;
  /** True while a session id (`browser-…`) is valid; false for any other id. */
  isActive(id: string): boolean;
  /** Told the id of each session signed out. Returns the unsubscribe function. */
  onEnded(listener: (id: string) => void): () => void;
}

export interface BrowserSessionOptions {
  dataDir: string;
  tokens: Pick<TokenService, 'isActive'>;
  /** @default 30 days */
  maxAgeMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/** The file (in the data folder) holding the key sessions are signed with. */
export const browserSessionKeyFile = 'browser-session.key';
const endedFile = 'browser-sessions-ended.json';
const idPrefix = 'browser-';
const defaultMaxAgeMs = 30 * 24 * 3600_000;
const sidPattern = /^[\w-]{16,64}$/;

export const isBrowserSessionId = (id: string): boolean => id.startsWith(idPrefix);

/**
 * The key in `<dataDir>/browser-session.key`, created (exclusively, mode 0600) when missing. A
 * key file others can read is narrowed to its owner. 32 bytes read once per engine: no need to
 * leave the event loop for it.
 */
function loadKey(dataDir: string): Buffer {
  const path = join(dataDir, browserSessionKeyFile);
  try {
    const fd = openSync(path, 'wx', 0o600);
    const key = randomBytes(32);
    try {
      writeSync(fd, key);
    } finally {
      closeSync(fd);
    }
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const key = readFileSync(path);
  if (key.length < 32) {
    throw new Error(
      `The browser-session key ${path} is damaged (${key.length} bytes). Delete it and restart: every browser then signs in again.`,
    );
  }
  return key;
}

/** Signed-out session ids and when each would have expired (ms), from the file beside the key. */
function loadEnded(dataDir: string, now: number): Map<string, number> {
  const ended = new Map<string, number>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(dataDir, endedFile), 'utf8'));
  } catch {
    return ended;
  }
  if (parsed && typeof parsed === 'object') {
    for (const [sid, exp] of Object.entries(parsed)) {
      if (sidPattern.test(sid) && typeof exp === 'number' && exp > now) ended.set(sid, exp);
    }
  }
  return ended;
}

interface Payload {
  sid: string;
  tid: string;
  scopes: TokenScope[];
  exp: number;
}

function parsePayload(text: string): Payload | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const { sid, tid, scopes, exp } = value as Record<string, unknown>;
  if (typeof sid !== 'string' || !sidPattern.test(sid)) return null;
  if (typeof tid !== 'string' || tid === '' || tid.length > 64) return null;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && isTokenScope(s))) {
    return null;
  }
  return { sid, tid, scopes: scopes as TokenScope[], exp };
}

export function createBrowserSessions({
  dataDir,
  tokens,
  maxAgeMs = defaultMaxAgeMs,
  now = Date.now,
}: BrowserSessionOptions): BrowserSessions {
  // Read on first use: an engine that never serves a browser (a CLI command) never creates it.
  let key: Buffer | undefined;
  let ended: Map<string, number> | undefined;
  const listeners = new Set<(id: string) => void>();
  let writing: Promise<void> = Promise.resolve();
  /** Sessions seen by this process, so grants derived from one (tickets, sockets) can be rechecked. */
  const known = new Map<string, Payload>();

  const mac = (payload: string) =>
    createHmac('sha256', (key ??= loadKey(dataDir)))
      .update(payload)
      .digest();
  const endedIds = () => (ended ??= loadEnded(dataDir, now()));

  const sessionOf = (p: Payload): BrowserSession => ({
    id: `${idPrefix}${p.sid}`,
    tokenId: p.tid,
    scopes: p.scopes,
    expiresAt: new Date(p.exp),
  });
  const valid = (p: Payload) => p.exp > now() && !endedIds().has(p.sid) && tokens.isActive(p.tid);

  /** Writes the signed-out list (only unexpired entries), one write at a time, atomically. */
  const persist = () => {
    const at = now();
    const entries = [...endedIds()].filter(([, exp]) => exp > at);
    const path = join(dataDir, endedFile);
    const temp = `${path}.${process.pid}.tmp`;
    writing = writing
      .catch(() => undefined)
      .then(async () => {
        await writeFile(temp, JSON.stringify(Object.fromEntries(entries)), { mode: 0o600 });
        await rename(temp, path);
      });
    return writing;
  };

  return {
    maxAgeMs,
    start(token) {
      const payload: Payload = {
        sid: randomBytes(16).toString('base64url'),
        tid: token.id,
        scopes: [...token.scopes],
        exp: now() + maxAgeMs,
      };
      const text = Buffer.from(JSON.stringify(payload)).toString('base64url');
      known.set(`${idPrefix}${payload.sid}`, payload);
      return {
        value: `${text}.${mac(text).toString('base64url')}`,
        session: sessionOf(payload),
      };
    },
    verify(value) {
      const dot = value.indexOf('.');
      if (dot <= 0 || value.length > 1024) return null;
      const text = value.slice(0, dot);
      const given = Buffer.from(value.slice(dot + 1), 'base64url');
      const expected = mac(text);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      const payload = parsePayload(text);
      if (!payload || !valid(payload)) return null;
      known.set(`${idPrefix}${payload.sid}`, payload);
      return sessionOf(payload);
    },
    async end(session) {
      const sid = session.id.slice(idPrefix.length);
      endedIds().set(sid, session.expiresAt.getTime());
      for (const listener of [...listeners]) listener(session.id);
      await persist();
    },
    isActive(id) {
      const payload = known.get(id);
      return payload !== undefined && valid(payload);
    },
    onEnded(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/**
 * The token service as seen by grants derived from a token (tickets, signed URLs, open sockets):
 * a browser session's id is active while the session is, and its sign-out counts as a revocation.
 */
export function withBrowserSessions(
  tokens: Pick<TokenService, 'verify' | 'isActive' | 'onRevoked'>,
  sessions: Pick<BrowserSessions, 'isActive' | 'onEnded'>,
): Pick<TokenService, 'verify' | 'isActive' | 'onRevoked'> {
  return {
    verify: (token) => tokens.verify(token),
    isActive: (id) => (isBrowserSessionId(id) ? sessions.isActive(id) : tokens.isActive(id)),
    onRevoked(listener) {
      const offTokens = tokens.onRevoked(listener);
      const offSessions = sessions.onEnded(listener);
      return () => {
        offTokens();
        offSessions();
      };
    },
  };
}
