import type { Migration } from '../migrate';

/**
 * Bearer tokens for the local API. Only a SHA-256 of each secret is kept; `scopes` is a JSON
 * array. Revoked tokens stay listed (with `revoked_at`) so that `token list` shows what happened.
 */
export const apiTokens: Migration = {
  version: 3,
  name: 'api-tokens',
  up(db) {
    db.exec(`
      CREATE TABLE api_tokens (
        id           TEXT PRIMARY KEY,
        name         TEXT,
        token_hash   TEXT NOT NULL UNIQUE,
        scopes       TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at   TEXT
      );
    `);
  },
};
