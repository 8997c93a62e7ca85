import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../create-engine';
import { loopedSpeech, speech } from '../media/__fixtures__/media-fixtures';
import { jobFinished } from '../test-support/job-finished';
import { jobInStage } from '../test-support/job-in-stage';
import { createTestEngine } from '../test-support/test-engine';
import { EngineError } from '../errors';
import { documentWith } from '../store/__fixtures__/documents';
import type { WhisperSegment } from '../whisper/addon';
import { settleUnfinished } from './transcribe-job';

const work = mkdtempSync(join(tmpdir(), 'studio-partial-'));
const longFile = join(work, 'long.wav');
let engine: Engine;

beforeAll(async () => {
  await loopedSpeech(longFile, 4);
  engine = await createTestEngine(join(work, 'data'));
}, 120_000);
afterAll(async () => {
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

describe('the transcript a job was making when it stopped', () => {
  it('is never left "partial" after a cancel: an empty one is removed', async () => {
    const media = await engine.media.add(longFile);
    const job = engine.jobs.submit({
      kind: 'transcribe',
      mediaId: media.id,
      params: { modelId: 'tiny-random', language: 'en' },
    });
    await jobInStage(engine, job.id, 'transcribe');
    expect(engine.repos.transcripts.listForJob(job.id)).toMatchObject([{ status: 'partial' }]);
    engine.jobs.cancel(job.id);
    expect((await jobFinished(engine, job.id)).state).toBe('cancelled');

    const left = engine.repos.transcripts.listForJob(job.id);
    expect(left.filter((t) => t.status === 'partial')).toEqual([]);
    // What remains (if Whisper had already sent text) is complete and says where it stops.
    for (const transcript of left) {
      expect(transcript.document.notes.join(' ')).toMatch(/cancelled.*covers only/i);
      expect(transcript.cacheKey).toBeNull();
    }
  }, 120_000);

  it('shows text while the job runs, each save adding only the new segments, then the finished document', async () => {
    const media = await engine.media.add(longFile);
    const job = engine.jobs.submit({
      kind: 'transcribe',
      mediaId: media.id,
      params: { modelId: 'tiny-random', language: 'en' },
    });
    const seen: { version: number; ids: string[] }[] = [];
    const watch = setInterval(() => {
      const [partial] = engine.repos.transcripts
        .listForJob(job.id)
        .filter((t) => t.status === 'partial');
      if (partial && partial.document.segments.length > 0) {
        seen.push({ version: partial.version, ids: partial.document.segments.map((s) => s.id) });
      }
    }, 100);
    const done = await jobFinished(engine, job.id);
    clearInterval(watch);
    expect(done.state).toBe('completed');
    // Text was there before the end, and a later save kept what an earlier one had written.
    expect(seen.length).toBeGreaterThan(0);
    const first = seen[0]!;
    const last = seen.at(-1)!;
    expect(last.ids.slice(0, first.ids.length)).toEqual(first.ids);
    expect(first.ids.every((id) => /^p\d+-s\d+$/.test(id))).toBe(true);
    const stored = engine.repos.transcripts.get(engine.transcriptions.transcriptOf(done)!)!;
    expect(stored.status).toBe('complete');
    expect(stored.document.notes).not.toContain('Transcription in progress.');
    expect(stored.document.segments.some((s) => s.id.startsWith('p'))).toBe(false);
  }, 180_000);

  it('keeps what Whisper had sent as a complete transcript that says where it stops', async () => {
    const media = await engine.media.add(speech.jfk);
    const partial = engine.repos.transcripts.insert({
      mediaId: media.id,
      modelId: 'tiny-random',
      language: 'en',
      document: documentWith([], ['Transcription in progress.']),
      status: 'partial',
    });
    const segment = (t0: number, t1: number, text: string): WhisperSegment => ({
      index: 0,
      t0,
      t1,
      text,
      noSpeechProb: 0,
      tokens: [],
    });
    const segments = [segment(0, 4000, ' And so'), segment(4000, 67_500, ' my fellow')];
    const seen: (readonly WhisperSegment[])[] = [];
    settleUnfinished(
      engine.repos,
      partial.id,
      segments,
      new EngineError('CANCELLED', 'The job was cancelled.'),
      (given) => {
        seen.push(given);
        return documentWith([]);
      },
    );
    expect(seen).toEqual([segments]);
    const settled = engine.repos.transcripts.get(partial.id)!;
    expect(settled).toMatchObject({ status: 'complete', cacheKey: null, language: 'en' });
    expect(settled.document.notes).toEqual([
      'The transcription was cancelled: this transcript covers only the first 1:07. Transcribe the file again for the rest.',
    ]);
  });
});
