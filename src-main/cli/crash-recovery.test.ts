import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { importTestModel, startServe, type ServeProcess } from '../../e2e/serve-process';
import type { JobList, JobView } from '../contract/jobs';
import { createEngine } from '../engine/create-engine';
import { loopedSpeech } from '../engine/media/__fixtures__/media-fixtures';

const work = mkdtempSync(join(tmpdir(), 'studio-crash-'));
const dataDir = join(work, 'data');
const serves: ServeProcess[] = [];
afterAll(async () => {
  for (const serve of serves) await serve.stop();
  rmSync(work, { recursive: true, force: true });
});

const post = (serve: ServeProcess, path: string, body: unknown) =>
  serve.api<JobView>(path, { method: 'POST', body: JSON.stringify(body) });

/** Polls a job until `done(job)` holds, or fails after `timeoutMs`. */
async function waitFor(
  serve: ServeProcess,
  id: string,
  done: (job: JobView) => boolean,
  timeoutMs: number,
): Promise<JobView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await serve.api<JobView>(`/v1/jobs/${id}`);
    if (done(job)) return job;
    if (Date.now() > until) throw new Error(`job ${id} is still ${job.state} (${job.stage})`);
    await sleep(200);
  }
}

describe('serve killed with -9 mid-job behind a long job history', () => {
  it('starts again and finishes the interrupted and the waiting jobs; the newest jobs list first', async () => {
    // A library with history: 1,100 finished jobs written through the engine's own store.
    await importTestModel(dataDir);
    const seed = createEngine({ dataDir });
    for (let i = 0; i < 1100; i += 1) {
      const old = seed.repos.jobs.insert({
        kind: 'export',
        lane: 'batch',
        mediaId: null,
        params: {},
      });
      seed.repos.jobs.finish(old.id, 'completed', { result: { old: i } });
    }
    await seed.shutdown();
    const long = await loopedSpeech(join(work, 'long.wav'), 6);

    const first = await startServe({ dataDir });
    serves.push(first);
    const mediaId = (await post(first, '/v1/media', { path: long })).id;
    // Two run at once and one waits (other settings, so that none is a cache answer).
    const jobs: JobView[] = [];
    for (const lowConfidence of [0.5, 0.4, 0.3]) {
      jobs.push(
        await post(first, '/v1/jobs', {
          kind: 'transcribe',
          mediaId,
          params: { modelId: 'tiny-random', language: 'en', lowConfidence },
        }),
      );
    }
    await waitFor(first, jobs[0]!.id, (job) => job.stage === 'transcribe', 60_000);
    first.child.kill('SIGKILL');
    await first.stop();

    const second = await startServe({ dataDir });
    serves.push(second);
    const newest = await second.api<JobList>('/v1/jobs?limit=3');
    expect(newest.jobs.map((job) => job.id).sort()).toEqual(jobs.map((job) => job.id).sort());
    const done = await Promise.all(
      jobs.map((job) =>
        waitFor(second, job.id, (j) => !['queued', 'running'].includes(j.state), 120_000),
      ),
    );
    expect(done.map((job) => [job.state, job.error?.message ?? null])).toEqual([
      ['completed', null],
      ['completed', null],
      ['completed', null],
    ]);
    // The one that was transcribing when the engine died ran again, once.
    expect(done[0]!.attempts).toBe(2);
    const active = await second.api<JobList>('/v1/jobs?state=queued,running');
    expect(active.jobs).toEqual([]);
  }, 300_000);
});
