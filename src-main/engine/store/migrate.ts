import type Database from 'better-sqlite3';
import { EngineError } from '../errors';

export interface Migration {
  /** Strictly increasing, matching the numbered file name. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * Applies every migration newer than the database's `user_version`, each in its own
 * transaction together with the version bump, so a crash never leaves a half-applied step.
 */
export function runMigrations(db: Database.Database, list: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = list.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new EngineError(
      'DATABASE_ERROR',
      `The library database has schema version ${current}, newer than this build knows (${latest}). ` +
        'Update Transcription Studio or open a different data folder.',
      { details: { current, latest } },
    );
  }
  let applied = 0;
  for (const migration of list) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied += 1;
  }
  return applied;
}
