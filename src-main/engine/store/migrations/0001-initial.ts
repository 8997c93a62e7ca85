import type { Migration } from '../migrate';

export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE media (
        id           TEXT PRIMARY KEY,
        path         TEXT NOT NULL,
        name         TEXT NOT NULL,
        size_bytes   INTEGER NOT NULL,
        duration_sec REAL NOT NULL,
        container    TEXT NOT NULL,
        audio_codec  TEXT NOT NULL,
        sample_rate  INTEGER NOT NULL,
        channels     INTEGER NOT NULL,
        has_video    INTEGER NOT NULL DEFAULT 0,
        created_at   TEXT NOT NULL
      );
      CREATE INDEX media_created ON media(created_at);

      CREATE TABLE transcripts (
        id         TEXT PRIMARY KEY,
        media_id   TEXT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
        model_id   TEXT,
        language   TEXT,
        version    INTEGER NOT NULL DEFAULT 1,
        document   TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX transcripts_media ON transcripts(media_id);

      CREATE TABLE jobs (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('queued','running','completed','failed','cancelled')),
        stage       TEXT,
        progress    REAL NOT NULL DEFAULT 0,
        lane        TEXT NOT NULL DEFAULT 'batch',
        media_id    TEXT REFERENCES media(id) ON DELETE SET NULL,
        params      TEXT NOT NULL DEFAULT '{}',
        result      TEXT,
        error       TEXT,
        attempts    INTEGER NOT NULL DEFAULT 0,
        created_at  TEXT NOT NULL,
        started_at  TEXT,
        finished_at TEXT
      );
      CREATE INDEX jobs_state ON jobs(state, created_at);

      CREATE TABLE models (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('whisper','vad','segmentation','embedding')),
        path       TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('ready','corrupt')),
        size_bytes INTEGER NOT NULL,
        sha256     TEXT,
        source     TEXT NOT NULL CHECK (source IN ('download','import')),
        error      TEXT,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);
  },
};
