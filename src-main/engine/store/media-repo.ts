import { randomUUID } from 'node:crypto';
import { sep } from 'node:path';
import type {
  MediaActiveJob,
  MediaSort,
  MediaStatusFilter,
  MediaTranscriptSummary,
} from '../../contract/media';
import type { Db } from './database';
import { foldName, nameSortKey } from './media-names';

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

/** A library item with its newest transcript in brief and its newest unfinished job. */
export interface MediaSummaryRecord extends MediaRecord {
  transcript: MediaTranscriptSummary | null;
  job: MediaActiveJob | null;
}

export interface MediaSummaryQuery {
  limit?: number;
  offset?: number;
  /** @default 'created-desc' */
  sort?: MediaSort;
  /** Only names containing this, ignoring case (Unicode-aware). */
  q?: string;
  /** `transcribed`: has a complete transcript; `untranscribed`: has none. @default 'any' */
  status?: MediaStatusFilter;
}

export interface MediaRepo {
  insert(media: NewMedia): MediaRecord;
  get(id: string): MediaRecord | undefined;
  /** Newest first. */
  list(options?: { limit?: number; offset?: number }): MediaRecord[];
  /** One page of items with summaries, and how many match over all pages. One query per call. */
  listSummaries(query?: MediaSummaryQuery): { items: MediaSummaryRecord[]; total: number };
  getSummary(id: string): MediaSummaryRecord | undefined;
  setSha256(id: string, sha256: string): void;
  delete(id: string): boolean;
  /** Paths of the items whose file lies in `dir` (the uploads folder). */
  pathsUnder(dir: string): Set<string>;
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

interface SummaryRow extends Row {
  t_id: string | null;
  t_status: MediaTranscriptSummary['status'];
  t_language: string | null;
  t_updated_at: string;
  t_version: number;
  c_version: number | null;
  c_words: number;
  c_speakers: number;
  j_id: string | null;
  j_state: MediaActiveJob['state'];
  j_progress: number;
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

/** ORDER BY per sort; `row_order` (the rowid) breaks ties between items added at once. */
const orderBy: Record<MediaSort, string> = {
  'created-desc': 'created_at DESC, row_order DESC',
  'created-asc': 'created_at ASC, row_order ASC',
  name: 'name_key, name, created_at DESC, row_order DESC',
  duration: 'duration_sec ASC, created_at DESC, row_order DESC',
};

/**
 * Items matching `@q` (a substring of the name, both folded by `foldName`) and `@status`. The
 * stored keys (migration 0008) keep JavaScript out of the scan.
 */
const matches = `
  (@q IS NULL OR instr(m.name_fold, @q) > 0)
  AND (@status = 'any' OR
       EXISTS (SELECT 1 FROM transcripts c WHERE c.media_id = m.id AND c.status = 'complete')
         = (@status = 'transcribed'))`;

/**
 * The page of items (filtered, sorted and cut once, so the rest runs only for the rows returned),
 * each joined to its newest transcript (numbered by a window over the page's transcripts), that
 * transcript's stored counts and its newest queued or running job. The transcript columns read
 * here all lie in the index `transcripts_media_newest`, so the (large) documents are never
 * touched.
 */
const summarySql = (where: string, order: string, page: string) => `
  WITH page AS MATERIALIZED (
    SELECT m.*, m.rowid AS row_order FROM media m WHERE ${where} ORDER BY ${order} ${page}
  ),
  newest AS (
    SELECT media_id, id, status, language, updated_at, version,
      row_number() OVER (PARTITION BY media_id ORDER BY created_at DESC, rowid DESC) AS n
    FROM transcripts WHERE media_id IN (SELECT id FROM page)
  )
  SELECT page.*,
    t.id AS t_id, t.status AS t_status, t.language AS t_language, t.updated_at AS t_updated_at,
    t.version AS t_version,
    c.version AS c_version, c.words AS c_words, c.speakers AS c_speakers,
    j.id AS j_id, j.state AS j_state, j.progress AS j_progress
  FROM page
  LEFT JOIN newest t ON t.media_id = page.id AND t.n = 1
  LEFT JOIN transcript_counts c ON c.transcript_id = t.id
  LEFT JOIN jobs j ON j.id = (
    SELECT id FROM jobs WHERE media_id = page.id AND state IN ('queued', 'running')
    ORDER BY created_at DESC, rowid DESC LIMIT 1)
  ORDER BY ${order}`;

/**
 * Speakers and words of a stored document, counted by SQLite's JSON functions: for transcripts
 * whose counts were not stored when saved (saved before migration 0008), the segments a job
 * appended to a partial one included (migration 0009). See `documentCounts`.
 */
const countsSql = `
  SELECT version, json_array_length(document, '$.speakers') AS speakers,
    (SELECT count(*) FROM json_each(document, '$.segments') s,
       json_each(s.value, '$.lines') l, json_each(l.value, '$.words'))
    + (SELECT count(*) FROM partial_segments p,
       json_each(p.segment, '$.lines') l, json_each(l.value, '$.words')
       WHERE p.transcript_id = transcripts.id) AS words
  FROM transcripts WHERE id = ?`;

export function createMediaRepo(db: Db): MediaRepo {
  const insertStmt = db.prepare(`
    INSERT INTO media (id, path, name, size_bytes, duration_sec, container, audio_codec,
                       sample_rate, channels, has_video, created_at, name_key, name_fold)
    VALUES (@id, @path, @name, @sizeBytes, @durationSec, @container, @audioCodec,
            @sampleRate, @channels, @hasVideo, @createdAt, @nameKey, @nameFold)`);
  const getStmt = db.prepare<[string], Row>('SELECT * FROM media WHERE id = ?');
  const pathsUnderStmt = db.prepare<[{ dir: string }], { path: string }>(
    // substr, not LIKE: a folder name may hold % or _.
    'SELECT path FROM media WHERE substr(path, 1, length(@dir)) = @dir',
  );
  const listStmt = db.prepare<[number, number], Row>(
    'SELECT * FROM media ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?',
  );
  const deleteStmt = db.prepare<[string]>('DELETE FROM media WHERE id = ?');
  const shaStmt = db.prepare<[string, string]>('UPDATE media SET sha256 = ? WHERE id = ?');
  type Params = { q: string | null; status: MediaStatusFilter; limit: number; offset: number };
  const pageStmts = new Map(
    (Object.keys(orderBy) as MediaSort[]).map((sort) => [
      sort,
      db.prepare<[Params], SummaryRow>(
        summarySql(matches, orderBy[sort], 'LIMIT @limit OFFSET @offset'),
      ),
    ]),
  );
  const countStmt = db.prepare<[Pick<Params, 'q' | 'status'>], { total: number }>(
    `SELECT count(*) AS total FROM media m WHERE ${matches}`,
  );
  const countsStmt = db.prepare<
    [string],
    { version: number; speakers: number | null; words: number }
  >(countsSql);
  const storeCountsStmt = db.prepare<
    [{ id: string; version: number; words: number; speakers: number }]
  >(
    `INSERT INTO transcript_counts (transcript_id, version, words, speakers)
     SELECT id, @version, @words, @speakers FROM transcripts WHERE id = @id AND version = @version
     ON CONFLICT (transcript_id) DO UPDATE
       SET version = excluded.version, words = excluded.words, speakers = excluded.speakers
       WHERE excluded.version > transcript_counts.version`,
  );
  /** Counts of old transcripts counted by this call, stored once it has read everything. */
  let counted: { id: string; version: number; words: number; speakers: number }[] = [];
  const countsOf = (r: SummaryRow): { wordCount: number; speakerCount: number } => {
    if (r.c_version === r.t_version) return { wordCount: r.c_words, speakerCount: r.c_speakers };
    const row = countsStmt.get(r.t_id!);
    const fresh = {
      id: r.t_id!,
      version: row?.version ?? r.t_version,
      words: row?.words ?? 0,
      speakers: row?.speakers ?? 0,
    };
    counted.push(fresh);
    return { wordCount: fresh.words, speakerCount: fresh.speakers };
  };
  /**
   * Stores what `countsOf` counted, so each old transcript is counted once. Best effort, after
   * the read: the counts can always be taken again, and a full disk must not fail a list.
   */
  const storeCounted = () => {
    const batch = counted;
    counted = [];
    if (batch.length === 0) return;
    try {
      db.transaction(() => batch.forEach((c) => storeCountsStmt.run(c)))();
    } catch {
      // Counted again next time.
    }
  };

  const fromSummaryRow = (r: SummaryRow): MediaSummaryRecord => {
    let transcript: MediaTranscriptSummary | null = null;
    if (r.t_id !== null) {
      const { speakerCount, wordCount } = countsOf(r);
      transcript = {
        id: r.t_id,
        status: r.t_status,
        language: r.t_language,
        speakerCount,
        wordCount,
        updatedAt: r.t_updated_at,
      };
    }
    return {
      ...fromRow(r),
      transcript,
      // Progress is stored 0..1; percent is shown as the job runner shows it, to one decimal.
      job:
        r.j_id === null
          ? null
          : { id: r.j_id, state: r.j_state, percent: Math.round(r.j_progress * 1000) / 10 },
    };
  };

  const summaryStmt = db.prepare<[string], SummaryRow>(
    summarySql('m.id = ?', orderBy['created-desc'], ''),
  );

  return {
    insert(media) {
      const record: MediaRecord = {
        ...media,
        id: randomUUID(),
        sha256: null,
        createdAt: new Date().toISOString(),
      };
      insertStmt.run({
        ...record,
        hasVideo: record.hasVideo ? 1 : 0,
        nameKey: nameSortKey(record.name),
        nameFold: foldName(record.name),
      });
      return record;
    },
    get: (id) => {
      const row = getStmt.get(id);
      return row && fromRow(row);
    },
    list: ({ limit = 100, offset = 0 } = {}) => listStmt.all(limit, offset).map(fromRow),
    pathsUnder: (dir) =>
      new Set(pathsUnderStmt.all({ dir: dir.endsWith(sep) ? dir : dir + sep }).map((r) => r.path)),
    listSummaries({ limit = 100, offset = 0, sort = 'created-desc', q, status = 'any' } = {}) {
      const filter = { q: q === undefined || q === '' ? null : foldName(q), status };
      const page = db.transaction(() => ({
        items: pageStmts
          .get(sort)!
          .all({ ...filter, limit, offset })
          .map(fromSummaryRow),
        total: countStmt.get(filter)?.total ?? 0,
      }))();
      storeCounted();
      return page;
    },
    getSummary: (id) => {
      const row = summaryStmt.get(id);
      const summary = row && fromSummaryRow(row);
      storeCounted();
      return summary;
    },
    setSha256: (id, sha256) => void shaStmt.run(sha256, id),
    delete: (id) => deleteStmt.run(id).changes > 0,
  };
}
