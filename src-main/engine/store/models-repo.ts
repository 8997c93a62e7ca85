import type { ModelStatus } from '../../contract/models';
import type { Db } from './database';

/** What the library remembers about a model file on disk. In-flight downloads live in memory only. */
export interface ModelRecord {
  id: string;
  kind: ModelStatus['kind'];
  path: string;
  status: 'ready' | 'corrupt';
  sizeBytes: number;
  sha256: string | null;
  source: 'download' | 'import';
  /** Why the file is corrupt; null when ready. */
  error: string | null;
  updatedAt: string;
}

export interface ModelsRepo {
  get(id: string): ModelRecord | undefined;
  list(): ModelRecord[];
  upsert(record: Omit<ModelRecord, 'updatedAt'>): ModelRecord;
  delete(id: string): boolean;
}

interface Row {
  id: string;
  kind: ModelRecord['kind'];
  path: string;
  status: ModelRecord['status'];
  size_bytes: number;
  sha256: string | null;
  source: ModelRecord['source'];
  error: string | null;
  updated_at: string;
}

const fromRow = (r: Row): ModelRecord => ({
  id: r.id,
  kind: r.kind,
  path: r.path,
  status: r.status,
  sizeBytes: r.size_bytes,
  sha256: r.sha256,
  source: r.source,
  error: r.error,
  updatedAt: r.updated_at,
});

export function createModelsRepo(db: Db): ModelsRepo {
  const getStmt = db.prepare<[string], Row>('SELECT * FROM models WHERE id = ?');
  const listStmt = db.prepare<[], Row>('SELECT * FROM models ORDER BY id');
  const upsertStmt = db.prepare(`
    INSERT INTO models (id, kind, path, status, size_bytes, sha256, source, error, updated_at)
    VALUES (@id, @kind, @path, @status, @sizeBytes, @sha256, @source, @error, @updatedAt)
    ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, path = excluded.path, status = excluded.status,
      size_bytes = excluded.size_bytes, sha256 = excluded.sha256, source = excluded.source,
      error = excluded.error, updated_at = excluded.updated_at`);
  const deleteStmt = db.prepare<[string]>('DELETE FROM models WHERE id = ?');

  return {
    get: (id) => {
      const row = getStmt.get(id);
      return row && fromRow(row);
    },
    list: () => listStmt.all().map(fromRow),
    upsert: (record) => {
      const full: ModelRecord = { ...record, updatedAt: new Date().toISOString() };
      upsertStmt.run(full);
      return full;
    },
    delete: (id) => deleteStmt.run(id).changes > 0,
  };
}
