import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { EngineError } from '../errors';
import type { Db } from './database';

export const jobStates = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];
export type JobLane = 'live' | 'interactive' | 'batch';

export interface JobError {
  code: string;
  message: string;
  /** What the remedy is worked out from (src-main/common/remedies.ts `remedyFacts`), if any. */
  details?: Record<string, unknown>;
}

export interface JobRecord {
  id: string;
  kind: string;
  state: JobState;
  stage: string | null;
  /** 0..1 across all stages. */
  progress: number;
  lane: JobLane;
  mediaId: string | null;
  params: Record<string, unknown>;
  result: unknown;
  error: JobError | null;
  /** How many times the job has been started; an interrupted job is re-queued once. */
  attempts: number;
  /** Something a person should know about the outcome (e.g. "answered from the cache"). */
  note: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Which jobs a page of the job list shows. Filters combine (all must match). */
export interface JobPageOptions {
  /** Only jobs in one of these states. */
  states?: readonly JobState[];
  kind?: string;
  mediaId?: string;
  /** Jobs per page. @default 100 */
  limit?: number;
  /** Where the previous page ended: its `nextCursor`. */
  cursor?: string | null;
}

/** One page of jobs, newest first; `nextCursor` fetches the next (null on the last page). */
export interface JobPage<J = JobRecord> {
  jobs: J[];
  nextCursor: string | null;
}

export interface JobsRepo {
  insert(job: Pick<JobRecord, 'kind' | 'lane' | 'mediaId' | 'params'>): JobRecord;
  get(id: string): JobRecord | undefined;
  /**
   * Every job in `states`, oldest first (the order they were queued in): what recovery and the
   * "what is queued or running" questions read. An indexed query, whatever the history's length.
   */
  list(options: { states: readonly JobState[] }): JobRecord[];
  /** A page of the job list, newest first, through the indexes (no scan of the history). */
  page(options?: JobPageOptions): JobPage;
  /** How many jobs are in each of `states`, by an indexed count. */
  count<S extends JobState>(states: readonly S[]): Record<S, number>;
  markRunning(id: string, stage: string): JobRecord;
  setProgress(id: string, stage: string, progress: number): void;
  finish(
    id: string,
    state: 'completed' | 'failed' | 'cancelled',
    outcome?: { result?: unknown; error?: JobError; note?: string },
  ): JobRecord;
  /** Puts a running job back in the queue (graceful shutdown checkpoint or restart recovery). */
  requeue(id: string): JobRecord;
}

interface Row {
  id: string;
  kind: string;
  state: JobState;
  stage: string | null;
  progress: number;
  lane: JobLane;
  media_id: string | null;
  params: string;
  result: string | null;
  error: string | null;
  attempts: number;
  note: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const fromRow = (r: Row): JobRecord => ({
  id: r.id,
  kind: r.kind,
  state: r.state,
  stage: r.stage,
  progress: r.progress,
  lane: r.lane,
  mediaId: r.media_id,
  params: JSON.parse(r.params) as Record<string, unknown>,
  result: r.result === null ? null : (JSON.parse(r.result) as unknown),
  error: r.error === null ? null : (JSON.parse(r.error) as JobError),
  attempts: r.attempts,
  note: r.note,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

interface PageRow extends Row {
  row_id: number;
}

interface PageParams {
  states: string;
  kind: string | null;
  mediaId: string | null;
  afterCreated: string | null;
  afterRowid: number | null;
  limit: number;
}

/** Which filters a page statement applies. */
interface PageFilters {
  states: boolean;
  kind: boolean;
  mediaId: boolean;
  after: boolean;
}

/**
 * Newest first by (created_at, rowid): rowid breaks ties between jobs made in the same
 * millisecond, so a page boundary never skips or repeats one. Each filter narrows an index
 * range (jobs_state, jobs_kind, jobs_media or jobs_created, all ordered by created_at).
 */
function pageSql(filters: PageFilters): string {
  const where = [
    filters.states && 'state IN (SELECT value FROM json_each(@states))',
    filters.kind && 'kind = @kind',
    filters.mediaId && 'media_id = @mediaId',
    filters.after &&
      '(created_at < @afterCreated OR (created_at = @afterCreated AND rowid < @afterRowid))',
  ].filter(Boolean);
  // The page's rows are picked from the index alone (a sort, if several states are asked for,
  // is of index keys, not of whole rows with their parameters), then read.
  const order = 'ORDER BY created_at DESC, rowid DESC';
  return `SELECT rowid AS row_id, * FROM jobs WHERE rowid IN (
      SELECT rowid FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${order} LIMIT @limit
    ) ${order}`;
}

/**
 * The cursor is where a page ended, opaque to clients: base64url of `<rowid>.<created_at>`.
 * It stays valid whatever happens to other jobs, and works with any filters.
 */
function encodeCursor(createdAt: string, rowid: number): string {
  return Buffer.from(`${rowid}.${createdAt}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; rowid: number } {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('utf8')
    : '';
  const match = /^(\d{1,15})\.(\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/.exec(text);
  if (!match) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      'The cursor is not one this server handed out; pass the `nextCursor` of the previous page, or leave it out to start from the newest job.',
    );
  }
  return { rowid: Number(match[1]), createdAt: match[2]! };
}

/** Messages kept with a job: enough to act on, never an error's whole (possibly hostile) input. */
const maxMessageLength = 2000;
const bounded = (text: string) =>
  text.length <= maxMessageLength ? text : `${text.slice(0, maxMessageLength - 1)}…`;

export function createJobsRepo(db: Db): JobsRepo {
  const insertStmt = db.prepare(`
    INSERT INTO jobs (id, kind, state, lane, media_id, params, created_at)
    VALUES (@id, @kind, 'queued', @lane, @mediaId, @params, @createdAt)`);
  const getStmt = db.prepare<[string], Row>('SELECT * FROM jobs WHERE id = ?');
  // The state sets arrive as a JSON array, so one statement serves any set (still an index
  // lookup per state through jobs_state).
  const byStateStmt = db.prepare<[string], Row>(
    `SELECT * FROM jobs WHERE state IN (SELECT value FROM json_each(?)) ORDER BY created_at, rowid`,
  );
  const countStmt = db.prepare<[string], { state: JobState; n: number }>(
    `SELECT state, COUNT(*) AS n FROM jobs WHERE state IN (SELECT value FROM json_each(?))
     GROUP BY state`,
  );
  // A page statement per combination of filters, prepared when first asked for.
  const pageStmts = new Map<string, Statement<PageParams, PageRow>>();
  const pageStmt = (filters: PageFilters): Statement<PageParams, PageRow> => {
    const key = JSON.stringify(filters);
    let stmt = pageStmts.get(key);
    if (!stmt) {
      stmt = db.prepare<PageParams, PageRow>(pageSql(filters));
      pageStmts.set(key, stmt);
    }
    return stmt;
  };
  const runningStmt = db.prepare<[string, string, string]>(
    `UPDATE jobs SET state = 'running', stage = ?, started_at = ?, attempts = attempts + 1,
       finished_at = NULL WHERE id = ?`,
  );
  const progressStmt = db.prepare<[string, number, string]>(
    `UPDATE jobs SET stage = ?, progress = ? WHERE id = ? AND state = 'running'`,
  );
  const finishStmt = db.prepare<
    [string, string | null, string | null, string | null, string, string]
  >('UPDATE jobs SET state = ?, result = ?, error = ?, note = ?, finished_at = ? WHERE id = ?');
  const requeueStmt = db.prepare<[string]>(
    `UPDATE jobs SET state = 'queued', stage = NULL, progress = 0, started_at = NULL WHERE id = ?`,
  );

  const mustGet = (id: string): JobRecord => {
    const row = getStmt.get(id);
    if (!row) throw new Error(`job ${id} vanished from the database`);
    return fromRow(row);
  };

  return {
    insert(job) {
      const id = randomUUID();
      insertStmt.run({
        id,
        kind: job.kind,
        lane: job.lane,
        mediaId: job.mediaId,
        params: JSON.stringify(job.params),
        createdAt: new Date().toISOString(),
      });
      return mustGet(id);
    },
    get: (id) => {
      const row = getStmt.get(id);
      return row && fromRow(row);
    },
    list({ states }) {
      return byStateStmt.all(JSON.stringify(states)).map(fromRow);
    },
    page({ states, kind, mediaId, limit = 100, cursor } = {}) {
      const after = cursor ? decodeCursor(cursor) : undefined;
      const filters: PageFilters = {
        states: states !== undefined,
        kind: kind !== undefined,
        mediaId: mediaId !== undefined,
        after: after !== undefined,
      };
      // One more than asked: whether it exists says if there is a next page.
      const rows = pageStmt(filters).all({
        states: JSON.stringify(states ?? []),
        kind: kind ?? null,
        mediaId: mediaId ?? null,
        afterCreated: after?.createdAt ?? null,
        afterRowid: after?.rowid ?? null,
        limit: limit + 1,
      });
      const more = rows.length > limit;
      const shown = more ? rows.slice(0, limit) : rows;
      const last = shown.at(-1);
      return {
        jobs: shown.map(fromRow),
        nextCursor: more && last ? encodeCursor(last.created_at, last.row_id) : null,
      };
    },
    count(states) {
      const counts = Object.fromEntries(states.map((state) => [state, 0])) as Record<
        (typeof states)[number],
        number
      >;
      for (const { state, n } of countStmt.all(JSON.stringify(states))) {
        if (state in counts) counts[state as (typeof states)[number]] = n;
      }
      return counts;
    },
    markRunning(id, stage) {
      runningStmt.run(stage, new Date().toISOString(), id);
      return mustGet(id);
    },
    setProgress: (id, stage, progress) => void progressStmt.run(stage, progress, id),
    finish(id, state, outcome = {}) {
      finishStmt.run(
        state,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        outcome.error === undefined
          ? null
          : JSON.stringify({ ...outcome.error, message: bounded(outcome.error.message) }),
        outcome.note === undefined ? null : bounded(outcome.note),
        new Date().toISOString(),
        id,
      );
      return mustGet(id);
    },
    requeue(id) {
      requeueStmt.run(id);
      return mustGet(id);
    },
  };
}
