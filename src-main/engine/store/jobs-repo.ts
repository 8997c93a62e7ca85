import { randomUUID } from 'node:crypto';
import type { Db } from './database';

export const jobStates = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];
export type JobLane = 'live' | 'interactive' | 'batch';

export interface JobError {
  code: string;
  message: string;
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

export interface JobsRepo {
  insert(job: Pick<JobRecord, 'kind' | 'lane' | 'mediaId' | 'params'>): JobRecord;
  get(id: string): JobRecord | undefined;
  /** Oldest first, optionally only the given states. */
  list(options?: { states?: readonly JobState[]; limit?: number }): JobRecord[];
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

export function createJobsRepo(db: Db): JobsRepo {
  const insertStmt = db.prepare(`
    INSERT INTO jobs (id, kind, state, lane, media_id, params, created_at)
    VALUES (@id, @kind, 'queued', @lane, @mediaId, @params, @createdAt)`);
  const getStmt = db.prepare<[string], Row>('SELECT * FROM jobs WHERE id = ?');
  const listStmt = db.prepare<[number], Row>(
    'SELECT * FROM jobs ORDER BY created_at, rowid LIMIT ?',
  );
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
    list({ states, limit = 1000 } = {}) {
      const all = listStmt.all(limit).map(fromRow);
      return states ? all.filter((j) => states.includes(j.state)) : all;
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
        outcome.error === undefined ? null : JSON.stringify(outcome.error),
        outcome.note ?? null,
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
