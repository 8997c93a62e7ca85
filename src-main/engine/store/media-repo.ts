import { randomUUID } from 'node:crypto';
import { sep } from 'node:path';
import type {
  MediaActiveJob,
  MediaSort,
  MediaStatusFilter,
  MediaTranscriptSummary,
} from '../../contract/media';
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
  name: 'studio_sort_key(name), name, created_at DESC, row_order DESC',
  duration: 'duration_sec ASC, created_at DESC, row_order DESC',
};

/** Items matching `@q` (case-folded substring of the name) and `@status`. */
const matches = `
  (@q IS NULL OR instr(studio_fold(m.name), studio_fold(@q)) > 0)
  AND (@status = 'any' OR
       EXISTS (SELECT 1 FROM transcripts c WHERE c.media_id = m.id AND c.status = 'complete')
         = (@status = 'transcribed'))`;

/**
 * The page of items (filtered, sorted and cut once, so the rest runs only for the rows returned),
 * each joined to its newest transcript (numbered by a window over the page's transcripts) and its
 * newest queued or running job. The transcript columns read here all lie in the index
 * `transcripts_media_newest`, so the (large) documents are never touched.
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
    j.id AS j_id, j.state AS j_state, j.progress AS j_progress
  FROM page
  LEFT JOIN newest t ON t.media_id = page.id AND t.n = 1
  LEFT JOIN jobs j ON j.id = (
    SELECT id FROM jobs WHERE media_id = page.id AND state IN ('queued', 'running')
    ORDER BY created_at DESC, rowid DESC LIMIT 1)
  ORDER BY ${order}`;

/** Speakers and words of a stored document, counted by SQLite's JSON functions. */
const countsSql = `
  SELECT version, json_array_length(document, '$.speakers') AS speakers,
    (SELECT count(*) FROM json_each(document, '$.segments') s,
       json_each(s.value, '$.lines') l, json_each(l.value, '$.words')) AS words
  FROM transcripts WHERE id = ?`;

interface Counts {
  version: number;
  speakerCount: number;
  wordCount: number;
}

/** Transcript versions whose counts are remembered (a few hundred bytes each). */
const maxCachedCounts = 10_000;

export function createMediaRepo(db: Db): MediaRepo {
  // SQLite's lower() and collations know ASCII only; names often are not ("Über.wav").
  const text = (fn: (value: string) => string) => (value: unknown) =>
    typeof value === 'string' ? fn(value) : value;
  db.function(
    'studio_fold',
    { deterministic: true },
    text((value) => value.toLocaleLowerCase('und')),
  );
  // Sorts "Über" with the u's: case and accents set aside (compatibility-decomposed, marks dropped).
  db.function(
    'studio_sort_key',
    { deterministic: true },
    text((value) =>
      value
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLocaleLowerCase('und'),
    ),
  );
  const insertStmt = db.prepare(`
    INSERT INTO media (id, path, name, size_bytes, duration_sec, container, audio_codec,
                       sample_rate, channels, has_video, created_at)
    VALUES (@id, @path, @name, @sizeBytes, @durationSec, @container, @audioCodec,
            @sampleRate, @channels, @hasVideo, @createdAt)`);
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
  /**
   * Counting means parsing the whole document (about 13 ms for an hour of speech), too slow to
   * repeat for every item of every list a polling UI asks for. A transcript's id and version
   * name its content (every save bumps the version), so each version is counted once.
   */
  const counts = new Map<string, Counts>();
  const countsOf = (id: string, version: number): Counts => {
    const known = counts.get(id);
    if (known?.version === version) return known;
    const row = countsStmt.get(id);
    const fresh = {
      version: row?.version ?? version,
      speakerCount: row?.speakers ?? 0,
      wordCount: row?.words ?? 0,
    };
    counts.delete(id);
    counts.set(id, fresh);
    // Maps iterate in insertion order: the first key is the least recently counted.
    if (counts.size > maxCachedCounts) counts.delete(counts.keys().next().value!);
    return fresh;
  };

  const fromSummaryRow = (r: SummaryRow): MediaSummaryRecord => {
    let transcript: MediaTranscriptSummary | null = null;
    if (r.t_id !== null) {
      const { speakerCount, wordCount } = countsOf(r.t_id, r.t_version);
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
      insertStmt.run({ ...record, hasVideo: record.hasVideo ? 1 : 0 });
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
      const filter = { q: q === undefined || q === '' ? null : q, status };
      return db.transaction(() => ({
        items: pageStmts
          .get(sort)!
          .all({ ...filter, limit, offset })
          .map(fromSummaryRow),
        total: countStmt.get(filter)?.total ?? 0,
      }))();
    },
    getSummary: (id) => {
      const row = summaryStmt.get(id);
      return row && fromSummaryRow(row);
    },
    setSha256: (id, sha256) => void shaStmt.run(sha256, id),
    delete: (id) => deleteStmt.run(id).changes > 0,
  };
}
