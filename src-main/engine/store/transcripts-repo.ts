import { randomUUID } from 'node:crypto';
import { EngineError } from '../errors';
import type { Db } from './database';
import { createSearchIndexer } from './search-index';

export interface TranscriptRecord {
  id: string;
  mediaId: string;
  modelId: string | null;
  language: string | null;
  /** Incremented on every save; a save naming an older version is refused. */
  version: number;
  /** The transcript document, stored as JSON text. Its shape belongs to the documents module. */
  document: unknown;
  /** 'partial' while its job is still adding segments. */
  status: 'partial' | 'complete';
  /** The job that made it, while that job exists. */
  jobId: string | null;
  /** The result-cache key this transcript answers (media sha + model sha + parameters). */
  cacheKey: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewTranscript = Pick<
  TranscriptRecord,
  'mediaId' | 'modelId' | 'language' | 'document'
> &
  Partial<Pick<TranscriptRecord, 'status' | 'jobId' | 'cacheKey'>>;

export interface TranscriptsRepo {
  insert(t: NewTranscript): TranscriptRecord;
  get(id: string): TranscriptRecord | undefined;
  listForMedia(mediaId: string): TranscriptRecord[];
  /** The newest complete transcript made for this cache key. */
  findByCacheKey(cacheKey: string): TranscriptRecord | undefined;
  listForJob(jobId: string): TranscriptRecord[];
  /**
   * Replaces the document if `expectedVersion` is the stored version; otherwise throws a
   * conflict so an edit made elsewhere is never silently overwritten.
   */
  update(id: string, expectedVersion: number, document: unknown): TranscriptRecord;
  /** Like `update`, and marks the transcript complete with its language and cache key. */
  complete(
    id: string,
    expectedVersion: number,
    document: unknown,
    fields: { language: string | null; cacheKey: string | null },
  ): TranscriptRecord;
  delete(id: string): boolean;
}

interface Row {
  id: string;
  media_id: string;
  model_id: string | null;
  language: string | null;
  version: number;
  document: string;
  status: TranscriptRecord['status'];
  job_id: string | null;
  cache_key: string | null;
  created_at: string;
  updated_at: string;
}

const fromRow = (r: Row): TranscriptRecord => ({
  id: r.id,
  mediaId: r.media_id,
  modelId: r.model_id,
  language: r.language,
  version: r.version,
  document: JSON.parse(r.document) as unknown,
  status: r.status,
  jobId: r.job_id,
  cacheKey: r.cache_key,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Every save also updates the search index, in the same transaction. */
export function createTranscriptsRepo(db: Db): TranscriptsRepo {
  const searchIndex = createSearchIndexer(db);
  const insertStmt = db.prepare(`
    INSERT INTO transcripts (id, media_id, model_id, language, version, document, status, job_id,
                             cache_key, created_at, updated_at)
    VALUES (@id, @mediaId, @modelId, @language, 1, @document, @status, @jobId, @cacheKey, @now, @now)`);
  const byCacheKeyStmt = db.prepare<[string], Row>(
    `SELECT * FROM transcripts WHERE cache_key = ? AND status = 'complete'
     ORDER BY created_at DESC, rowid DESC LIMIT 1`,
  );
  const byJobStmt = db.prepare<[string], Row>(
    'SELECT * FROM transcripts WHERE job_id = ? ORDER BY created_at, rowid',
  );
  const completeStmt = db.prepare<[string | null, string | null, string]>(
    "UPDATE transcripts SET status = 'complete', language = ?, cache_key = ? WHERE id = ?",
  );
  const getStmt = db.prepare<[string], Row>('SELECT * FROM transcripts WHERE id = ?');
  const listStmt = db.prepare<[string], Row>(
    'SELECT * FROM transcripts WHERE media_id = ? ORDER BY created_at, rowid',
  );
  const updateStmt = db.prepare<[string, string, string, number]>(
    // An edit after completion makes the document someone's work, no longer the model's output:
    // it stops answering the result cache, so a copy of the media is transcribed afresh.
    `UPDATE transcripts SET document = ?, updated_at = ?, version = version + 1,
       cache_key = CASE WHEN status = 'complete' THEN NULL ELSE cache_key END
     WHERE id = ? AND version = ?`,
  );
  const deleteStmt = db.prepare<[string]>('DELETE FROM transcripts WHERE id = ?');

  const get = (id: string): TranscriptRecord | undefined => {
    const row = getStmt.get(id);
    return row && fromRow(row);
  };

  return {
    insert(t) {
      const id = randomUUID();
      const now = new Date().toISOString();
      db.transaction(() => {
        insertStmt.run({
          mediaId: t.mediaId,
          modelId: t.modelId,
          language: t.language,
          status: t.status ?? 'complete',
          jobId: t.jobId ?? null,
          cacheKey: t.cacheKey ?? null,
          id,
          now,
          document: JSON.stringify(t.document),
        });
        searchIndex.index(id, t.document);
      })();
      return get(id)!;
    },
    get,
    listForMedia: (mediaId) => listStmt.all(mediaId).map(fromRow),
    findByCacheKey: (cacheKey) => {
      const row = byCacheKeyStmt.get(cacheKey);
      return row && fromRow(row);
    },
    listForJob: (jobId) => byJobStmt.all(jobId).map(fromRow),
    complete(id, expectedVersion, document, fields) {
      return db.transaction(() => {
        this.update(id, expectedVersion, document);
        completeStmt.run(fields.language, fields.cacheKey, id);
        return get(id)!;
      })();
    },
    update(id, expectedVersion, document) {
      const changed = db.transaction(() => {
        const result = updateStmt.run(
          JSON.stringify(document),
          new Date().toISOString(),
          id,
          expectedVersion,
        );
        if (result.changes === 0) return false;
        searchIndex.index(id, document);
        return true;
      })();
      const current = get(id);
      if (!current) throw new EngineError('NOT_FOUND', `Transcript ${id} does not exist.`);
      if (!changed) {
        throw new EngineError(
          'CONFLICT',
          `Transcript ${id} was changed elsewhere (now version ${current.version}, you edited version ${expectedVersion}). Reload it and apply your edit again.`,
          { details: { currentVersion: current.version, expectedVersion } },
        );
      }
      return current;
    },
    delete: (id) => deleteStmt.run(id).changes > 0,
  };
}
