import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../../contract/jobs';
import { createEngine, type Engine } from '../../../engine/create-engine';
import { speech } from '../../../engine/media/__fixtures__/media-fixtures';
import { documentWith } from '../../../engine/store/__fixtures__/documents';
import type { JobRecord, JobState } from '../../../engine/store/jobs-repo';
import { ensureTestModel } from '../../../engine/whisper/test-model/make-test-model';
import { buildApp } from '../../app';

const work = mkdtempSync(join(tmpdir(), 'studio-job-list-'));
let engine: Engine;
let app: FastifyInstance;
let auth: Record<string, string>;
let mediaIds: string[];
/** Every job in the library, oldest first, as the test made them. */
const made: JobRecord[] = [];

const kinds = ['transcribe', 'export', 'retranscribe-span'] as const;
const finishedStates = ['completed', 'failed', 'cancelled'] as const;

// The runner is not started: submitted jobs stay queued. The history goes straight into the
// real SQLite database, as years of use would have left it.
beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  // A transcription is refused at submit unless its model is installed.
  await engine.models.importFile((await ensureTestModel('tiny', 1)).path, { id: 'tiny-random' });
  app = await buildApp({ engine });
  auth = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
  mediaIds = [(await engine.media.add(speech.jfk)).id, (await engine.media.add(speech.french)).id];
  const jobs = engine.repos.jobs;
  for (let i = 0; i < 1150; i += 1) {
    const kind = kinds[i % kinds.length]!;
    const job = jobs.insert({
      kind,
      lane: 'batch',
      mediaId: kind === 'transcribe' ? mediaIds[i % 2]! : null,
      // Transcriptions carry parameters a retry can submit again (they are checked again then).
      params: kind === 'transcribe' ? { modelId: 'whisper-tiny', n: i } : { n: i },
    });
    if (i % 97 === 5) {
      made.push(jobs.markRunning(job.id, 'transcribe'));
      continue;
    }
    jobs.markRunning(job.id, 'transcribe');
    made.push(jobs.finish(job.id, finishedStates[i % finishedStates.length]!));
  }
}, 60_000);
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, headers: auth, ...(payload && { payload }) });

interface Page {
  jobs: JobView[];
  nextCursor: string | null;
}

/** Every page of `GET /v1/jobs?<query>`, following `nextCursor` to the end. */
async function allPages(query: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/v1/jobs?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await call('GET', url);
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json() as Page;
    ids.push(...page.jobs.map((j) => j.id));
    cursor = page.nextCursor;
    pages += 1;
    if (pages > 100) throw new Error('the cursor never ran out');
  } while (cursor);
  return { ids, pages };
}

const newestFirst = (jobs: readonly JobRecord[]) => [...jobs].reverse().map((j) => j.id);

async function submitTranscription(): Promise<JobView> {
  const response = await call('POST', '/v1/jobs', {
    kind: 'transcribe',
    mediaId: mediaIds[0],
    params: { modelId: 'tiny-random' },
  });
  expect(response.statusCode, response.body).toBe(202);
  const job = response.json() as JobView;
  made.push(engine.repos.jobs.get(job.id)!);
  return job;
}

describe('GET /v1/jobs with a long history', () => {
  it('shows the newest job first and pages through every job with the cursor', async () => {
    const newest = await submitTranscription();
    const first = (await call('GET', '/v1/jobs')).json() as Page;
    expect(first.jobs[0]?.id).toBe(newest.id);
    expect(first.jobs).toHaveLength(100);
    expect(first.nextCursor).toEqual(expect.any(String));

    const { ids, pages } = await allPages('limit=500');
    expect(pages).toBe(Math.ceil(made.length / 500));
    expect(ids).toEqual(newestFirst(made));
  });

  it('filters by one or several states, by kind and by media, newest first', async () => {
    const expectIds = async (query: string, keep: (job: JobRecord) => boolean) => {
      const { ids } = await allPages(query);
      const expected = newestFirst(made.filter(keep));
      expect(expected.length).toBeGreaterThan(0);
      expect(ids, query).toEqual(expected);
    };
    const stateIs =
      (...states: JobState[]) =>
      (job: JobRecord) =>
        states.includes(engine.repos.jobs.get(job.id)!.state);
    await expectIds('state=queued,running', stateIs('queued', 'running'));
    await expectIds('state=running', stateIs('running'));
    await expectIds('state=failed&state=cancelled&limit=300', stateIs('failed', 'cancelled'));
    await expectIds('kind=export&limit=250', (job) => job.kind === 'export');
    await expectIds(`mediaId=${mediaIds[1]}`, (job) => job.mediaId === mediaIds[1]);
    await expectIds(
      `kind=transcribe&state=completed&mediaId=${mediaIds[0]}&limit=50`,
      (job) =>
        job.kind === 'transcribe' &&
        job.mediaId === mediaIds[0] &&
        engine.repos.jobs.get(job.id)!.state === 'completed',
    );
    const none = (await call('GET', '/v1/jobs?kind=dance')).json() as Page;
    expect(none).toEqual({ jobs: [], nextCursor: null });
  });

  it('refuses a bad limit, state or cursor with 400', async () => {
    for (const query of ['limit=0', 'limit=501', 'state=done', 'state=queued,', 'cursor=nope']) {
      const response = await call('GET', `/v1/jobs?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('jobs this engine does not hold', () => {
  it('DELETE cancels a job whose row says running or queued, and retry then works', async () => {
    const stale = made.find(
      (j) => j.kind === 'transcribe' && engine.repos.jobs.get(j.id)?.state === 'running',
    )!;
    const cancelled = await call('DELETE', `/v1/jobs/${stale.id}`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ id: stale.id, state: 'cancelled' });
    expect(engine.repos.jobs.get(stale.id)?.state).toBe('cancelled');
    const retried = await call('POST', `/v1/jobs/${stale.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(202);
    made.push(engine.repos.jobs.get((retried.json() as JobView).id)!);

    // A row left queued by another process: the runner has never seen it.
    const orphan = engine.repos.jobs.insert({
      kind: 'export',
      lane: 'batch',
      mediaId: null,
      params: {},
    });
    made.push(orphan);
    const response = await call('DELETE', `/v1/jobs/${orphan.id}`);
    expect(response.json()).toMatchObject({ state: 'cancelled' });
    expect(engine.repos.jobs.get(orphan.id)?.state).toBe('cancelled');
  });
});

describe('POST /v1/jobs lanes', () => {
  it('puts each kind in the lane the server decides and refuses the live lane', async () => {
    const transcribe = await submitTranscription();
    expect(transcribe.lane).toBe('batch');
    const transcriptId = engine.repos.transcripts.insert({
      mediaId: mediaIds[0]!,
      modelId: null,
      language: 'en',
      document: documentWith([]),
    }).id;
    const span = await call('POST', '/v1/jobs', {
      kind: 'retranscribe-span',
      params: { transcriptId, startMs: 0, endMs: 1000 },
    });
    expect(span.statusCode, span.body).toBe(202);
    expect(span.json().lane).toBe('interactive');
    made.push(engine.repos.jobs.get(span.json().id)!);

    for (const body of [
      {
        kind: 'transcribe',
        mediaId: mediaIds[0],
        lane: 'live',
        params: { modelId: 'tiny-random' },
      },
      {
        kind: 'transcribe',
        mediaId: mediaIds[0],
        lane: 'interactive',
        params: { modelId: 'tiny-random' },
      },
      {
        kind: 'retranscribe-span',
        lane: 'live',
        params: { transcriptId, startMs: 0, endMs: 1000 },
      },
    ]) {
      const refused = await call('POST', '/v1/jobs', body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(refused.json().error).toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/lane/),
      });
    }
    // Nothing was queued by the refused requests.
    const active = await allPages('state=queued');
    expect(active.ids).toEqual(
      newestFirst(made.filter((j) => engine.repos.jobs.get(j.id)!.state === 'queued')),
    );
  });
});
