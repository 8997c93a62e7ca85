import { randomUUID } from 'node:crypto';
import {
  documentVersion,
  segment as segmentSchema,
  type Segment,
  type TranscriptDocument,
} from '../../contract/document';
import type { PreparedDocument } from '../documents/prepare-save';
import { formatPath } from '../documents/validate';
import { EngineError } from '../errors';
import type { Db } from './database';
import { createSearchIndexer, documentCounts, searchableSegments } from './search-index';

export interface TranscriptRecord {
  id: string;
  mediaId: string;
  modelId: string | null;
  language: string | null;
  /** Incremented on every save; a save naming an older version is refused. */
  version: number;
  /**
   * The transcript document, stored as JSON text. Documents from outside (the editor, the API)
   * are validated where they come in (`validateDocument`); a stored one is checked only for its
   * version and outline when read (`readDocument`), since a full parse of a 3-hour document
   * takes ~90 ms. A partial one's segments include those its job appended (`appendPartial`).
   */
  document: TranscriptDocument;
  /** 'partial' while its job is still adding segments. */
  status: 'partial' | 'complete';
  /** The job that made it, while that job exists. */
  jobId: string | null;
  /** The result-cache key this transcript answers (media sha + model sha + parameters). */
  cacheKey: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A transcript without its document. */
export type TranscriptHead = Omit<TranscriptRecord, 'document'>;

export type NewTranscript = Pick<
  TranscriptRecord,
  'mediaId' | 'modelId' | 'language' | 'document'
> &
  Partial<Pick<TranscriptRecord, 'status' | 'jobId' | 'cacheKey'>>;

export interface TranscriptsRepo {
  insert(t: NewTranscript): TranscriptRecord;
  get(id: string): TranscriptRecord | undefined;
  /** The transcript without its document (nothing parsed). */
  getHead(id: string): TranscriptHead | undefined;
  listForMedia(mediaId: string): TranscriptRecord[];
  /** The newest complete transcript made for this cache key. */
  findByCacheKey(cacheKey: string): TranscriptRecord | undefined;
  listForJob(jobId: string): TranscriptRecord[];
  /**
   * Replaces the document if `expectedVersion` is the stored version; otherwise throws a
   * conflict so an edit made elsewhere is never silently overwritten.
   */
  update(id: string, expectedVersion: number, document: TranscriptDocument): TranscriptRecord;
  /**
   * Adds `segments` to the end of a partial transcript while its job runs, writing only them:
   * each becomes a row of its own (migration 0009) and a search row, its words are added to the
   * library counts, and the version goes up by one; the stored document is neither rewritten
   * nor read. Reads give the document with them at the end of `segments`. `complete` (or
   * `update`) later replaces the whole document, appended segments and their search rows
   * included, with the final one.
   *
   * `expectedVersion` works as in `update`: the version after the last save, which this returns
   * (with how many segments the document now has). Appending nothing changes nothing. Refused:
   * CONFLICT for a stale version or a transcript no longer partial, NOT_FOUND, and
   * INVALID_ARGUMENT (nothing stored) for a segment the contract rejects, one that ends before it
   * starts, starts before the segment before it, repeats a segment id of the document, or names
   * a speaker the document does not list. Word ids are not checked against earlier segments.
   */
  appendPartial(
    id: string,
    expectedVersion: number,
    segments: readonly Segment[],
  ): { version: number; segments: number };
  /** Like `update`, and marks the transcript complete with its language and cache key. */
  complete(
    id: string,
    expectedVersion: number,
    document: TranscriptDocument,
    fields: { language: string | null; cacheKey: string | null },
  ): TranscriptRecord;
  /**
   * `complete` for a long document without holding the event loop for its search rows: the
   * document, status, language, cache key and counts in one transaction, then the search rows
   * in slices as `replace` does (a 3-hour document's rows took ~300 ms in `complete`'s one
   * transaction). Resolves with the record as `complete` returns it, once the rows are in line.
   */
  completeInSlices(
    id: string,
    expectedVersion: number,
    document: TranscriptDocument,
    fields: { language: string | null; cacheKey: string | null },
  ): Promise<TranscriptRecord>;
  delete(id: string): boolean;
  /**
   * The transcript with its document as JSON (UTF-8 bytes), for answering it: a complete transcript's
   * stored text as it is (written by `JSON.stringify`, checked for its outline in SQL), so a
   * 3-hour document is neither parsed nor written again on the event loop; a partial one's is
   * assembled with its appended segments as `get` does. Throws DATABASE_ERROR as `get` does.
   */
  getJson(id: string): { head: TranscriptHead; documentJson: Buffer } | undefined;
  /**
   * `update` with a document already prepared off the event loop (`prepareSave`): the row is
   * written in one short transaction (CONFLICT for a stale version, as `update`), then its
   * search rows are brought in line in slices with the event loop running between
   * (`indexRowsInSlices`); resolves with the saved transcript's head once they are. A save
   * made meanwhile (a newer version) takes over the indexing.
   */
  replace(id: string, expectedVersion: number, document: PreparedDocument): Promise<TranscriptHead>;
  /**
   * `replace` whose row was written on another connection (`writePreparedDocument`, e.g. in the
   * document worker thread, so the ~30 ms write of a 3-hour document stays off the event loop):
   * `written` is what that returned. CONFLICT when it was not written, else the search slices.
   */
  reindexWritten(
    id: string,
    expectedVersion: number,
    written: boolean,
    rows: PreparedDocument['rows'],
  ): Promise<TranscriptHead>;
  /** The library database's file, for another connection to it; undefined in memory. */
  readonly databasePath: string | undefined;
}

/**
 * The row part of `replace`, in one transaction: the document (unless the transcript is not at
 * `expectedVersion` or not complete: then nothing is written and this returns false), the end of
 * what a job appended, the counts. One owner for the engine's connection (`replace`) and the
 * document worker's own (`reindexWritten` follows it).
 */
export function createPreparedDocumentWriter(
  db: Db,
): (
  id: string,
  expectedVersion: number,
  document: Pick<PreparedDocument, 'json' | 'counts'>,
) => boolean {
  const searchIndex = createSearchIndexer(db);
  const updateStmt = db.prepare<[string, string, string, number]>(
    // As `update`: an edit makes the document someone's work, no longer the model's output.
    `UPDATE transcripts SET document = ?, updated_at = ?, version = version + 1, cache_key = NULL
     WHERE id = ? AND version = ? AND status = 'complete'`,
  );
  const dropAppendedStmt = db.prepare<[string]>(
    'DELETE FROM partial_segments WHERE transcript_id = ?',
  );
  return db.transaction(
    (id: string, expectedVersion: number, document: Pick<PreparedDocument, 'json' | 'counts'>) => {
      const result = updateStmt.run(document.json, new Date().toISOString(), id, expectedVersion);
      if (result.changes === 0) return false;
      dropAppendedStmt.run(id);
      searchIndex.storeCounts(id, document.counts);
      return true;
    },
  );
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

/** A save against a version that is no longer the stored one: it must never overwrite. */
const editConflict = (id: string, currentVersion: number, expectedVersion: number) =>
  new EngineError(
    'CONFLICT',
    `Transcript ${id} was changed elsewhere (now version ${currentVersion}, you edited version ${expectedVersion}). Reload it and apply your edit again.`,
    { details: { currentVersion, expectedVersion } },
  );

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The outline of a document of this version: cheap (no walk over the segments), enough to catch
 * a row written by another version of the studio or damaged outside it. Documents were
 * validated in full before they were saved.
 */
function isStoredDocument(value: unknown): value is TranscriptDocument {
  return (
    isRecord(value) &&
    value.version === documentVersion &&
    Array.isArray(value.segments) &&
    Array.isArray(value.speakers) &&
    Array.isArray(value.notes) &&
    Array.isArray(value.corrections) &&
    isRecord(value.captions) &&
    isRecord(value.targetCounts) &&
    isRecord(value.source)
  );
}

/** A stored document, or DATABASE_ERROR saying what to do when the row cannot be one. */
function readDocument(id: string, text: string): TranscriptDocument {
  let value: unknown;
  let cause: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    cause = error;
  }
  if (isStoredDocument(value)) return value;
  const found =
    cause !== undefined
      ? 'it is not JSON'
      : isRecord(value) && value.version !== documentVersion
        ? `it is a document of version ${JSON.stringify(value.version)}, this studio reads version ${documentVersion}`
        : `it is not a version ${documentVersion} document`;
  throw new EngineError(
    'DATABASE_ERROR',
    `Transcript ${id} cannot be read: ${found}. Open the data folder with the studio version that wrote it, restore it from a backup, or delete the transcript and transcribe the media again.`,
    { cause, details: { transcriptId: id } },
  );
}

/** Every save also updates the search index, in the same transaction. */
export function createTranscriptsRepo(db: Db): TranscriptsRepo {
  const searchIndex = createSearchIndexer(db);
  const writePrepared = createPreparedDocumentWriter(db);
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
  /** A row without its document, for answering a save with the document just saved. */
  const headStmt = db.prepare<[string], Omit<Row, 'document'>>(
    `SELECT id, media_id, model_id, language, version, status, job_id, cache_key, created_at,
            updated_at
       FROM transcripts WHERE id = ?`,
  );
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
  const appendedStmt = db.prepare<[string], string>(
    'SELECT segment FROM partial_segments WHERE transcript_id = ? ORDER BY position',
  );
  const dropAppendedStmt = db.prepare<[string]>(
    'DELETE FROM partial_segments WHERE transcript_id = ?',
  );
  /** What an append checks against: the stored head and the last segment so far. */
  const appendStateStmt = db.prepare<
    [string],
    {
      status: TranscriptRecord['status'];
      version: number;
      stored: number;
      appended: number | null;
      last_start: number | null;
    }
  >(
    `SELECT status, version, json_array_length(document, '$.segments') AS stored,
       (SELECT max(position) FROM partial_segments WHERE transcript_id = t.id) AS appended,
       coalesce(
         (SELECT start_ms FROM partial_segments WHERE transcript_id = t.id
           ORDER BY position DESC LIMIT 1),
         json_extract(document, '$.segments[#-1].start')) AS last_start
     FROM transcripts AS t WHERE id = ?`,
  );
  const speakerIdsStmt = db.prepare<[string], string>(
    `SELECT json_extract(s.value, '$.id') FROM transcripts AS t, json_each(t.document, '$.speakers') AS s
      WHERE t.id = ?`,
  );
  const storedIdsStmt = db.prepare<[string, string], number>(
    // Ids of the stored head's segments among those given (rows check theirs by UNIQUE).
    `SELECT count(*) FROM transcripts AS t, json_each(t.document, '$.segments') AS s
      WHERE t.id = ? AND json_extract(s.value, '$.id') IN (SELECT value FROM json_each(?))`,
  );
  const appendStmt = db.prepare<
    [{ id: string; position: number; segmentId: string; startMs: number; segment: string }]
  >(
    `INSERT INTO partial_segments (transcript_id, position, segment_id, start_ms, segment)
     VALUES (@id, @position, @segmentId, @startMs, @segment)`,
  );
  const bumpStmt = db.prepare<[string, string, number]>(
    `UPDATE transcripts SET version = version + 1, updated_at = ?
      WHERE id = ? AND version = ? AND status = 'partial'`,
  );

  /**
   * A complete transcript's head and document text when its outline is that of a document of
   * this version (what `isStoredDocument` checks, here in SQL, without a JS parse); a failed
   * check leaves the row to `fromRow`, whose `readDocument` says what is wrong.
   */
  const rawStmt = db.prepare<
    [number, string],
    Omit<Row, 'document'> & { document_bytes: Buffer; outline: number }
  >(
    // The document as its UTF-8 bytes (a BLOB): no JS string is made of it, nor scanned again
    // to be sent.
    `SELECT id, media_id, model_id, language, version, status, job_id, cache_key, created_at,
            updated_at, CAST(document AS BLOB) AS document_bytes,
       (json_extract(document, '$.version') = ?
        AND json_type(document, '$.segments') = 'array'
        AND json_type(document, '$.speakers') = 'array'
        AND json_type(document, '$.notes') = 'array'
        AND json_type(document, '$.corrections') = 'array'
        AND json_type(document, '$.captions') = 'object'
        AND json_type(document, '$.targetCounts') = 'object'
        AND json_type(document, '$.source') = 'object') AS outline
       FROM transcripts WHERE id = ? AND status = 'complete' AND json_valid(document)`,
  );
  const headOf = (r: Omit<Row, 'document'>): TranscriptHead => ({
    id: r.id,
    mediaId: r.media_id,
    modelId: r.model_id,
    language: r.language,
    version: r.version,
    status: r.status,
    jobId: r.job_id,
    cacheKey: r.cache_key,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const withDocument = (
    r: Omit<Row, 'document'>,
    document: TranscriptDocument,
  ): TranscriptRecord => ({
    id: r.id,
    mediaId: r.media_id,
    modelId: r.model_id,
    language: r.language,
    version: r.version,
    document,
    status: r.status,
    jobId: r.job_id,
    cacheKey: r.cache_key,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const fromRow = (r: Row): TranscriptRecord => {
    let document = readDocument(r.id, r.document);
    if (r.status === 'partial') {
      const appended = appendedStmt.pluck().all(r.id);
      if (appended.length > 0) {
        // Each was checked against the contract when appended.
        const segments = appended.map((text) => JSON.parse(text) as Segment);
        document = { ...document, segments: [...document.segments, ...segments] };
      }
    }
    return withDocument(r, document);
  };
  /** The transcript as just saved with `document` (not read back and parsed again). */
  const saved = (id: string, document: TranscriptDocument): TranscriptRecord => {
    const head = headStmt.get(id);
    if (!head) throw new EngineError('NOT_FOUND', `Transcript ${id} does not exist.`);
    return withDocument(head, document);
  };
  const get = (id: string): TranscriptRecord | undefined => {
    const row = getStmt.get(id);
    return row && fromRow(row);
  };
  const invalidSegment = (index: number, problem: string): EngineError =>
    new EngineError(
      'INVALID_ARGUMENT',
      `Appended segment ${index} ${problem}; nothing was appended.`,
      { details: { index } },
    );
  /** The checks `appendPartial` promises, before anything is written. */
  const checkAppend = (
    speakers: ReadonlySet<string>,
    lastStart: number | null,
    segments: readonly Segment[],
  ) => {
    let previousStart = lastStart ?? 0;
    const ids = new Set<string>();
    segments.forEach((segment, i) => {
      const parsed = segmentSchema.safeParse(segment);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw invalidSegment(i, `is invalid at ${formatPath(issue.path)}: ${issue.message}`);
      }
      if (segment.end < segment.start) throw invalidSegment(i, 'ends before it starts');
      if (segment.start < previousStart) {
        throw invalidSegment(i, `starts at ${segment.start} ms, before the segment before it`);
      }
      previousStart = segment.start;
      if (ids.has(segment.id)) throw invalidSegment(i, `repeats segment id "${segment.id}"`);
      ids.add(segment.id);
      const named = [
        segment.speaker,
        ...segment.lines.flatMap((l) => l.words.map((w) => w.speaker)),
      ];
      const unknown = named.find((speaker) => speaker !== null && !speakers.has(speaker));
      if (unknown !== undefined) {
        throw invalidSegment(
          i,
          `names speaker "${unknown}", which is not in the document's speakers`,
        );
      }
    });
    return ids;
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
      return saved(id, t.document);
    },
    get,
    getHead: (id) => {
      const head = headStmt.get(id);
      return head && headOf(head);
    },
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
        return saved(id, document);
      })();
    },
    async completeInSlices(id, expectedVersion, document, fields) {
      const json = JSON.stringify(document);
      const changed = db.transaction(() => {
        const result = updateStmt.run(json, new Date().toISOString(), id, expectedVersion);
        if (result.changes === 0) return false;
        dropAppendedStmt.run(id);
        searchIndex.storeCounts(id, documentCounts(document));
        completeStmt.run(fields.language, fields.cacheKey, id);
        return true;
      })();
      const current = saved(id, document);
      if (!changed) {
        throw editConflict(id, current.version, expectedVersion);
      }
      await searchIndex.indexRowsInSlices(id, expectedVersion + 1, searchableSegments(document));
      return { ...current, version: expectedVersion + 1 };
    },
    appendPartial(id, expectedVersion, segments) {
      return db.transaction(() => {
        const state = appendStateStmt.get(id);
        if (!state) throw new EngineError('NOT_FOUND', `Transcript ${id} does not exist.`);
        if (state.status !== 'partial') {
          throw new EngineError(
            'CONFLICT',
            `Transcript ${id} is no longer being made (it is complete); nothing was appended. Save changes to it with an update of the whole document.`,
          );
        }
        if (state.version !== expectedVersion) {
          throw new EngineError(
            'CONFLICT',
            `Transcript ${id} was changed elsewhere (now version ${state.version}, you appended to version ${expectedVersion}). Read it again before appending.`,
            { details: { currentVersion: state.version, expectedVersion } },
          );
        }
        const first = state.appended === null ? state.stored : state.appended + 1;
        if (segments.length === 0) return { version: state.version, segments: first };
        const speakers = new Set(speakerIdsStmt.pluck().all(id));
        const ids = checkAppend(speakers, state.last_start, segments);
        const repeated = storedIdsStmt.pluck().get(id, JSON.stringify([...ids])) ?? 0;
        if (repeated > 0) throw invalidSegment(0, 'repeats a segment id of the document');
        segments.forEach((segment, i) => {
          try {
            appendStmt.run({
              id,
              position: first + i,
              segmentId: segment.id,
              startMs: segment.start,
              segment: JSON.stringify(segment),
            });
          } catch (error) {
            if (error instanceof Error && /UNIQUE/.test(error.message)) {
              throw invalidSegment(i, `repeats segment id "${segment.id}" of the document`);
            }
            throw error;
          }
        });
        bumpStmt.run(new Date().toISOString(), id, expectedVersion);
        searchIndex.append(id, expectedVersion, first, segments);
        return { version: expectedVersion + 1, segments: first + segments.length };
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
        // The whole document replaces what a job appended to it (a no-op for most saves).
        dropAppendedStmt.run(id);
        searchIndex.index(id, document);
        return true;
      })();
      const current = saved(id, document);
      if (!changed) {
        throw editConflict(id, current.version, expectedVersion);
      }
      return current;
    },
    delete: (id) => deleteStmt.run(id).changes > 0,
    getJson(id) {
      const raw = rawStmt.get(documentVersion, id);
      if (raw?.outline === 1) return { head: headOf(raw), documentJson: raw.document_bytes };
      const record = get(id);
      if (!record) return undefined;
      const { document, ...head } = record;
      return { head, documentJson: Buffer.from(JSON.stringify(document)) };
    },
    replace(id, expectedVersion, document) {
      return this.reindexWritten(
        id,
        expectedVersion,
        writePrepared(id, expectedVersion, document),
        document.rows,
      );
    },
    async reindexWritten(id, expectedVersion, written, rows) {
      const head = headStmt.get(id);
      if (!head) throw new EngineError('NOT_FOUND', `Transcript ${id} does not exist.`);
      if (!written) {
        if (head.status !== 'complete') {
          throw new EngineError(
            'CONFLICT',
            `Transcript ${id} is still being made; edit it once its job has finished.`,
          );
        }
        throw editConflict(id, head.version, expectedVersion);
      }
      await searchIndex.indexRowsInSlices(id, expectedVersion + 1, rows);
      // The version this save made, even where a newer one has landed since the row was written.
      return { ...headOf(head), version: expectedVersion + 1 };
    },
    databasePath: db.memory ? undefined : db.name,
  };
}
