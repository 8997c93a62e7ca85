import type { Db } from './database';

/** A stored API token. The secret itself is never stored, only its SHA-256 (hex). */
export interface TokenRecord {
  id: string;
  name: string | null;
  tokenHash: string;
  /** Scope names as stored; the token service validates them. */
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TokensRepo {
  insert(record: Omit<TokenRecord, 'lastUsedAt' | 'revokedAt'>): TokenRecord;
  get(id: string): TokenRecord | undefined;
  /** Every token, revoked ones included, oldest first. */
  list(): TokenRecord[];
  /** Tokens that are not revoked. */
  listActive(): TokenRecord[];
  /** Marks the token revoked; false when there is no such token. Revoking twice keeps the first time. */
  revoke(id: string, at: string): boolean;
  touch(id: string, at: string): void;
}

interface Row {
  id: string;
  name: string | null;
  token_hash: string;
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const fromRow = (r: Row): TokenRecord => ({
  id: r.id,
  name: r.name,
  tokenHash: r.token_hash,
  scopes: JSON.parse(r.scopes) as string[],
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export function createTokensRepo(db: Db): TokensRepo {
  const insertStmt = db.prepare<[string, string | null, string, string, string]>(
    'INSERT INTO api_tokens (id, name, token_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const getStmt = db.prepare<[string], Row>('SELECT * FROM api_tokens WHERE id = ?');
  const listStmt = db.prepare<[], Row>('SELECT * FROM api_tokens ORDER BY created_at, id');
  const activeStmt = db.prepare<[], Row>(
    'SELECT * FROM api_tokens WHERE revoked_at IS NULL ORDER BY created_at, id',
  );
  const revokeStmt = db.prepare<[string, string]>(
    'UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?',
  );
  const touchStmt = db.prepare<[string, string]>(
    'UPDATE api_tokens SET last_used_at = ? WHERE id = ?',
  );

  return {
    insert(record) {
      insertStmt.run(
        record.id,
        record.name,
        record.tokenHash,
        JSON.stringify(record.scopes),
        record.createdAt,
      );
      return { ...record, lastUsedAt: null, revokedAt: null };
    },
    get(id) {
      const row = getStmt.get(id);
      return row && fromRow(row);
    },
    list: () => listStmt.all().map(fromRow),
    listActive: () => activeStmt.all().map(fromRow),
    revoke: (id, at) => revokeStmt.run(at, id).changes > 0,
    touch: (id, at) => void touchStmt.run(at, id),
  };
}
