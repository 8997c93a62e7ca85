import type { Db } from './database';

/** Key/value settings stored as JSON. Validation of values belongs to the settings service. */
export interface SettingsRepo {
  get(key: string): unknown;
  all(): Record<string, unknown>;
  set(key: string, value: unknown): void;
  delete(key: string): boolean;
}

export function createSettingsRepo(db: Db): SettingsRepo {
  const getStmt = db.prepare<[string], { value: string }>(
    'SELECT value FROM settings WHERE key = ?',
  );
  const allStmt = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
  const setStmt = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const deleteStmt = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');

  return {
    get(key) {
      const row = getStmt.get(key);
      return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
    },
    all: () =>
      Object.fromEntries(allStmt.all().map((r) => [r.key, JSON.parse(r.value) as unknown])),
    set: (key, value) => void setStmt.run(key, JSON.stringify(value)),
    delete: (key) => deleteStmt.run(key).changes > 0,
  };
}
