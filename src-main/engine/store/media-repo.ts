import { randomUUID } from 'node:crypto';
import type { Db } from './database';

export interface MediaRecord {
  id: string;
  path: string;
  name: string;
  sizeBytes: number;
  durationSec: number;
  container: string;
  audioCodec: string;
  sampleRate: number;
  channels: number;
  hasVideo: boolean;
  /** sha256 of the file's content, computed once when first needed (result cache key). */
  sha256: string | null;
  createdAt: string;
}

export type NewMedia = Omit<MediaRecord, 'id' | 'createdAt' | 'sha256'>;

export interface MediaRepo {
  insert(media: NewMedia): MediaRecord;
  get(id: string): MediaRecord | undefined;
  /** Newest first. */
  list(options?: { limit?: number; offset?: number }): MediaRecord[];
  setSha256(id: string, sha256: string): void;
  delete(id: string): boolean;
}

interface Row {
  id: string;
  path: string;
  name: string;
  size_bytes: number;
  duration_sec: number;
  container: string;
  audio_codec: string;
  sample_rate: number;
  channels: number;
  has_video: number;
  sha256: string | null;
  created_at: string;
}

const fromRow = (r: Row): MediaRecord => ({
  id: r.id,
  path: r.path,
  name: r.name,
  sizeBytes: r.size_bytes,
  durationSec: r.duration_sec,
  container: r.container,
  audioCodec: r.audio_codec,
  sampleRate: r.sample_rate,
  channels: r.channels,
  hasVideo: r.has_video === 1,
  sha256: r.sha256,
  createdAt: r.created_at,
});

export function createMediaRepo(db: Db): MediaRepo {
  const insertStmt = db.prepare(`
    INSERT INTO media (id, path, name, size_bytes, duration_sec, container, audio_codec,
                       sample_rate, channels, has_video, created_at)
    VALUES (@id, @path, @name, @sizeBytes, @durationSec, @container, @audioCodec,
            @sampleRate, @channels, @hasVideo, @createdAt)`);
  const getStmt = db.prepare<[string], Row>('SELECT * FROM media WHERE id = ?');
  const listStmt = db.prepare<[number, number], Row>(
    'SELECT * FROM media ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?',
  );
  const deleteStmt = db.prepare<[string]>('DELETE FROM media WHERE id = ?');
  const shaStmt = db.prepare<[string, string]>('UPDATE media SET sha256 = ? WHERE id = ?');

  return {
    insert(media) {
      const record: MediaRecord = {
        ...media,
        id: randomUUID(),
        sha256: null,
        createdAt: new Date().toISOString(),
      };
      insertStmt.run({ ...record, hasVideo: record.hasVideo ? 1 : 0 });
      return record;
    },
    get: (id) => {
      const row = getStmt.get(id);
      return row && fromRow(row);
    },
    list: ({ limit = 100, offset = 0 } = {}) => listStmt.all(limit, offset).map(fromRow),
    setSha256: (id, sha256) => void shaStmt.run(sha256, id),
    delete: (id) => deleteStmt.run(id).changes > 0,
  };
}
