import { plainJobs } from '../engine/test-support/plain-jobs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJobRunner } from '../engine/jobs/job-runner';
import { openDatabase } from '../engine/store/database';
import { createJobsRepo } from '../engine/store/jobs-repo';
import { queueBusy, queueSummary } from './queue-summary';

describe('queueSummary', () => {
  it('says how many jobs run and wait, or Idle', () => {
    expect(queueSummary({ running: 0, queued: 0 })).toBe('Idle');
    expect(queueSummary({ running: 1, queued: 2 })).toBe('1 running, 2 queued');
    expect(queueSummary({ running: 0, queued: 1 })).toBe('1 queued');
    expect(queueBusy({ running: 0, queued: 0 })).toBe(false);
    expect(queueBusy({ running: 0, queued: 3 })).toBe(true);
  });

  it('counts the runner’s running and queued jobs behind a long history', async () => {
    const db = openDatabase(':memory:');
    const repo = createJobsRepo(db);
    const tempRoot = mkdtempSync(join(tmpdir(), 'studio-tray-'));
    const runner = createJobRunner({
      repo,
      jobs: plainJobs({ work: async () => null }),
      tempRoot,
    });
    try {
      for (let i = 0; i < 1100; i += 1) {
        const job = repo.insert({ kind: 'work', lane: 'batch', mediaId: null, params: {} });
        repo.finish(job.id, 'completed');
      }
      repo.markRunning(
        repo.insert({ kind: 'work', lane: 'batch', mediaId: null, params: {} }).id,
        'x',
      );
      for (let i = 0; i < 250; i += 1) runner.submit({ kind: 'work' });
      // The tray and the close check read this; a list of the first 200 jobs saw none of them.
      expect(queueSummary(runner.counts())).toBe('1 running, 250 queued');
      expect(queueBusy(runner.counts())).toBe(true);
    } finally {
      await runner.stop();
      db.close();
      rmSync(tempRoot, { recursive: true, force: true });
    }
  });
});
