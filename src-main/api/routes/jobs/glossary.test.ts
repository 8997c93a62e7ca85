/**
 * Glossaries sent with a transcription job, through the real API on loopback and a real engine:
 * what the linear-time regex engine refuses is refused at submit (400), and a pattern that
 * backtracks catastrophically in a JavaScript RegExp cannot stall the server while the job runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../../contract/jobs';
import type { TranscriptView } from '../../../contract/transcripts';
import type { Engine } from '../../../engine/create-engine';
import { createTestEngine } from '../../../engine/test-support/test-engine';
import { speech } from '../../../engine/whisper/__fixtures__/whisper-fixtures';
import { startServer, type RunningServer } from '../../server';

const work = mkdtempSync(join(tmpdir(), 'studio-glossary-api-'));
let engine: Engine;
let server: RunningServer;
let headers: Record<string, string>;
let mediaId: string;

beforeAll(async () => {
  engine = await createTestEngine(join(work, 'data'));
  server = await startServer({ engine });
  const token = engine.tokens.createToken({ scopes: ['transcribe', 'read'] }).token;
  headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  mediaId = (await engine.media.add(speech.jfk)).id;
}, 120_000);
afterAll(async () => {
  await server.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

// The first 4 s of jfk.wav: enough words for the rules, little work for the test model.
const submit = (glossary: unknown) =>
  fetch(`${server.url}/v1/jobs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      kind: 'transcribe',
      mediaId,
      params: {
        modelId: 'tiny-random',
        language: 'en',
        span: { startMs: 0, endMs: 4000 },
        glossary,
      },
    }),
  });

const get = async <T>(path: string): Promise<T> =>
  (await (await fetch(`${server.url}${path}`, { headers })).json()) as T;

describe('POST /v1/jobs with a glossary', () => {
  it('refuses at submit what the regex engine cannot run, and oversized terms, with 400', async () => {
    const before = (await get<{ jobs: JobView[] }>('/v1/jobs')).jobs.length;
    for (const [glossary, message] of [
      [
        { rules: [{ match: '(\\w+) \\1', replace: '$1', mode: 'regex' }] },
        /Glossary rule 1 \(regex: .*\) uses a backreference \(\\1\), which is not supported/,
      ],
      [
        { rules: [{ match: 'k(?=8s)', replace: 'K', mode: 'regex' }] },
        /uses lookahead \(\(\?=…\), which is not supported/,
      ],
      [{ rules: [{ match: 'x*', replace: '!', mode: 'regex' }] }, /matches empty text/],
      [{ terms: [{ term: 'a'.repeat(40_000) }] }, /must be at most 200 characters/],
    ] as const) {
      const response = await submit(glossary);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toMatch(message);
      expect(error.message.length).toBeLessThan(2000);
    }
    expect((await get<{ jobs: JobView[] }>('/v1/jobs')).jobs).toHaveLength(before);
  });

  it('runs a catastrophically backtracking pattern without stalling /health', async () => {
    const hostile = `/^${'(.*)'.repeat(18)}!$/`;
    const response = await submit({
      rules: [
        { match: hostile, replace: 'x', mode: 'regex' },
        // Brackets every run of letters, to show that the rules did run over the transcript.
        { match: '(\\p{L}+)', replace: '[$1]', mode: 'regex' },
      ],
    });
    expect(response.status).toBe(202);
    const job = (await response.json()) as JobView;

    // /health, over real HTTP, all the while the job runs and a little after.
    const latencies: number[] = [];
    let state = job.state;
    while (state === 'queued' || state === 'running') {
      const started = performance.now();
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      latencies.push(performance.now() - started);
      state = (await get<JobView>(`/v1/jobs/${job.id}`)).state;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const done = await get<JobView>(`/v1/jobs/${job.id}`);
    expect(done.state, JSON.stringify(done.error)).toBe('completed');
    expect(latencies.length).toBeGreaterThan(5);
    // Generous for a shared 2-core machine; a backtracking RegExp takes seconds to hours here.
    expect(Math.max(...latencies)).toBeLessThan(400);

    const { transcriptId } = done.result as { transcriptId: string };
    const view = await get<TranscriptView>(`/v1/transcripts/${transcriptId}`);
    const { corrections } = view.document;
    expect(corrections.length).toBeGreaterThan(0);
    for (const { before, after } of corrections) {
      expect(after).toBe(before.replace(/(\p{L}+)/gu, '[$1]'));
    }
  }, 300_000);
});
