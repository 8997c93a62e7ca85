import { describe, expect, it } from 'vitest';
import {
  jobListQuery as jobListQueryContract,
  type JobList,
  type JobView,
} from '../../../../src-main/contract/jobs';
import { activeJobCount, loadQueueJobs, maxActiveJobs, recentJobCount } from './queries';
import { sortJobs } from './format';

const job = (n: number, state: JobView['state']): JobView => ({
  id: `j${n}`,
  kind: 'transcribe',
  state,
  stage: null,
  percent: 0,
  etaSec: null,
  queuePosition: null,
  lane: 'batch',
  mediaId: null,
  params: {},
  result: null,
  error: null,
  note: null,
  attempts: 0,
  createdAt: new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString(),
  startedAt: null,
  finishedAt: null,
});

/**
 * `GET /v1/jobs` over an in-memory history, as the contract describes it (newest first, `state`
 * filter, `limit`, opaque `cursor`); it records every query it was asked.
 */
function pagesOf(history: JobView[]) {
  const asked: string[] = [];
  const page = async (query: URLSearchParams): Promise<JobList> => {
    asked.push(query.toString());
    const { limit, cursor, state } = jobListQueryContract.parse(Object.fromEntries(query));
    const newestFirst = [...history].reverse().filter((j) => !state || state.includes(j.state));
    const start = cursor ? Number(cursor) : 0;
    const jobs = newestFirst.slice(start, start + limit);
    const more = start + limit < newestFirst.length;
    return { jobs, nextCursor: more ? String(start + limit) : null };
  };
  return { page, asked };
}

describe('the Queue’s job list', () => {
  it('shows every active job behind a long history, and the newest finished ones', async () => {
    // 1,200 finished jobs, then 700 waiting (more than one page) and one running.
    const history = [
      ...Array.from({ length: 1200 }, (_, i) => job(i, i % 7 === 0 ? 'failed' : 'completed')),
      ...Array.from({ length: 700 }, (_, i) => job(1200 + i, 'queued')),
      job(1900, 'running'),
      job(1901, 'completed'),
    ];
    const { page, asked } = pagesOf(history);
    const list = await loadQueueJobs(page);
    expect(activeJobCount(list)).toBe(701);
    const ids = list.jobs.map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe('j1901');
    const finished = list.jobs.filter((j) => j.state === 'completed' || j.state === 'failed');
    // The newest of any state: the newest finished one plus those among the newest 100.
    expect(finished.map((j) => j.id)).toEqual(['j1901']);
    expect(list.jobs.length).toBe(701 + 1);
    expect(asked.filter((q) => q.includes('state=')).length).toBe(2); // 500 + 201
    expect(asked).toContain(`limit=${recentJobCount}`);
    // The view puts the running job first, then the waiting ones.
    expect(sortJobs(list.jobs)[0]?.id).toBe('j1900');
  });

  it('shows the newest finished jobs when nothing is active, and stops reading active pages at the cap', async () => {
    const idle = pagesOf(Array.from({ length: 300 }, (_, i) => job(i, 'completed')));
    const quiet = await loadQueueJobs(idle.page);
    expect(quiet.jobs.map((j) => j.id)).toEqual(
      Array.from({ length: recentJobCount }, (_, i) => `j${299 - i}`),
    );

    const flood = pagesOf(Array.from({ length: maxActiveJobs + 1000 }, (_, i) => job(i, 'queued')));
    const capped = await loadQueueJobs(flood.page);
    expect(activeJobCount(capped)).toBe(maxActiveJobs);
  });

  it('keeps a job read twice in its later state', async () => {
    let calls = 0;
    const moving = async (query: URLSearchParams): Promise<JobList> => {
      calls += 1;
      // Running when the active jobs are read, done by the time the newest are.
      return query.has('state')
        ? { jobs: [job(1, 'running')], nextCursor: null }
        : { jobs: [job(1, 'completed'), job(0, 'completed')], nextCursor: null };
    };
    const list = await loadQueueJobs(moving);
    expect(calls).toBe(2);
    expect(list.jobs.map((j) => [j.id, j.state])).toEqual([
      ['j1', 'completed'],
      ['j0', 'completed'],
    ]);
  });
});
