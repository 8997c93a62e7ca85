import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../../contract/jobs';
import type { Engine } from '../../../engine/create-engine';
import { loopedSpeech, speech } from '../../../engine/media/__fixtures__/media-fixtures';
import { jobFinished } from '../../../engine/test-support/job-finished';
import { jobInStage } from '../../../engine/test-support/job-in-stage';
import { createTestEngine } from '../../../engine/test-support/test-engine';
import { buildApp } from '../../app';

const work = mkdtempSync(join(tmpdir(), 'studio-media-delete-'));
let engine: Engine;
let app: FastifyInstance;
let headers: Record<string, string>;

beforeAll(async () => {
  engine = await createTestEngine(join(work, 'data'));
  app = await buildApp({ engine });
  headers = {
    authorization: `Bearer ${engine.tokens.createToken({ scopes: ['read', 'transcribe', 'admin'] }).token}`,
  };
}, 120_000);
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

/** A transcription of the media; `lowConfidence` varies the settings so none is a cache answer. */
const submit = async (mediaId: string, lowConfidence = 0.5): Promise<JobView> => {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/jobs',
    headers,
    payload: {
      kind: 'transcribe',
      mediaId,
      params: { modelId: 'tiny-random', language: 'en', lowConfidence },
    },
  });
  expect(response.statusCode).toBe(202);
  return response.json() as JobView;
};

describe('DELETE /v1/media/:id while the media is being transcribed', () => {
  it.each(['probe', 'vad', 'transcribe'])(
    'in its %s stage: cancels the running and queued jobs of that media first, then removes it; the engine keeps working',
    async (stage) => {
      const media = await engine.media.add(await loopedSpeech(join(work, `${stage}.wav`), 12));
      const running = await submit(media.id);
      await jobInStage(engine, running.id, stage);
      // The runner takes two jobs at once: of three more, one starts and two wait in the queue.
      const others = [await submit(media.id, 0.4), await submit(media.id, 0.3)];
      others.push(await submit(media.id, 0.2));
      const unfinished = [running, ...others];
      expect(unfinished.map((job) => engine.jobs.get(job.id)!.state).sort()).toEqual([
        'queued',
        'queued',
        'running',
        'running',
      ]);

      const removed = await app.inject({ method: 'DELETE', url: `/v1/media/${media.id}`, headers });
      expect(removed.statusCode).toBe(204);

      for (const job of unfinished) {
        const settled = engine.jobs.get(job.id)!;
        expect(settled.state).toBe('cancelled');
        expect(settled.error?.message).toMatch(/removed from the library/);
      }
      expect(engine.repos.media.get(media.id)).toBeUndefined();
      expect(engine.repos.transcripts.listForMedia(media.id)).toEqual([]);

      // After the delete (the job used to save its partial transcript 2 s later and crash the
      // process on the missing row), the engine still runs jobs.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const other = await engine.media.add(speech.jfk);
      const done = await jobFinished(engine, (await submit(other.id)).id);
      expect(done.state).toBe('completed');
    },
    180_000,
  );
});
