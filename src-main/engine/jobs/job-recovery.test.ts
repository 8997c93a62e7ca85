import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { transcribeParams } from '../../contract/jobs';
import { createEngine, type Engine } from '../create-engine';
import { speech } from '../media/__fixtures__/media-fixtures';
import type { JobRecord } from '../store/jobs-repo';
import { createTestEngine } from '../test-support/test-engine';

const work = mkdtempSync(join(tmpdir(), 'studio-recovery-'));
const dataDir = join(work, 'data');
const engines: Engine[] = [];

afterAll(async () => {
  for (const engine of engines) await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const finishedStates = ['completed', 'failed', 'cancelled'];

/** Polls until every job in `ids` has finished, or the time is up; returns their records. */
async function whenFinished(engine: Engine, ids: string[], timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const records = ids.map((id) => engine.repos.jobs.get(id));
    if (records.every((r) => r && finishedStates.includes(r.state)) || Date.now() > until) {
      return records;
    }
    await sleep(100);
  }
}

describe('restart recovery with a long job history', () => {
  it('re-queues and runs the jobs a killed engine left running or queued behind 1,100 finished ones', async () => {
    // The first engine: a library item, a long history, then one job running and two waiting
    // when the process is killed (-9): their rows stay as they were, nothing is cleaned up.
    const first = await createTestEngine(dataDir);
    engines.push(first);
    const media = await first.media.add(speech.jfk);
    const params = transcribeParams.parse({ modelId: 'tiny-random', language: 'en', vad: false });
    const insert = () =>
      first.repos.jobs.insert({ kind: 'transcribe', lane: 'batch', mediaId: media.id, params });
    for (let i = 0; i < 1100; i += 1) {
      const job = insert();
      first.repos.jobs.markRunning(job.id, 'transcribe');
      first.repos.jobs.finish(job.id, i % 10 === 0 ? 'failed' : 'completed', {
        ...(i % 10 === 0 ? { error: { code: 'X', message: 'an old failure' } } : {}),
      });
    }
    const running = insert();
    first.repos.jobs.markRunning(running.id, 'transcribe');
    const waiting: JobRecord[] = [insert(), insert()];
    // This engine's runner holds none of them, so stopping it leaves the rows as a crash would.
    await first.shutdown();

    const second = createEngine({ dataDir });
    engines.push(second);
    await second.jobs.start();
    const records = await whenFinished(second, [running.id, ...waiting.map((j) => j.id)], 60_000);
    expect(records.map((r) => r?.state)).toEqual(['completed', 'completed', 'completed']);
    // The interrupted one was started again, once.
    expect(records[0]?.attempts).toBe(2);
    expect(second.jobs.counts()).toEqual({ queued: 0, running: 0 });
  }, 120_000);
});
