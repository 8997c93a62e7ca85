import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptDocument } from '../../contract/document';
import { createEngine, type Engine } from '../create-engine';
import { validateDocument } from '../documents/validate';
import type { JobEvent } from '../jobs/job-runner';
import { speech, testModels } from '../whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../whisper/test-model/make-test-model';
import { jobFinished } from '../test-support/job-finished';

const work = mkdtempSync(join(tmpdir(), 'studio-pipeline-'));
let engine: Engine;
const model = 'tiny-random';

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  await engine.models.importFile((await ensureTestModel('tiny', 1)).path, { id: model });
  // Byte-identical to the catalog's Silero model, so it becomes that entry.
  expect((await engine.models.importFile(testModels.sileroVad)).id).toBe('silero-vad-v6.2.0');
  await engine.jobs.start();
}, 120_000);
afterAll(async () => {
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

const finished = (id: string) => jobFinished(engine, id);

const transcribe = async (file: string, params: Record<string, unknown> = {}) => {
  const item = await engine.media.add(file);
  return engine.jobs.submit({
    kind: 'transcribe',
    mediaId: item.id,
    params: { modelId: model, language: 'en', ...params },
  });
};

describe('transcription pipeline', () => {
  it('transcribes a file into a valid, wrapped document, streaming segments, then answers again from the cache', async () => {
    const outputs: JobEvent[] = [];
    const off = engine.jobs.onEvent((e) => e.type === 'job-output' && outputs.push(e));
    const began = Date.now();
    const first = await finished((await transcribe(speech.jfk)).id);
    const firstMs = Date.now() - began;
    off();
    expect(first).toMatchObject({ state: 'completed', percent: 100, result: { cached: false } });
    const { transcriptId } = first.result as { transcriptId: string };
    const stored = engine.repos.transcripts.get(transcriptId)!;
    expect(stored).toMatchObject({
      status: 'complete',
      language: 'en',
      cacheKey: expect.any(String),
    });
    const doc = validateDocument(stored.document) as TranscriptDocument;
    const words = doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
    expect(words.length).toBeGreaterThan(0);
    expect(doc.captions.preset).toBe('broadcast');
    expect(doc.segments.every((s) => s.lines.length <= 2)).toBe(true);
    expect(doc.source).toMatchObject({
      modelId: model,
      modelSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(outputs.length).toBeGreaterThan(0);

    const again = Date.now();
    const second = await finished((await transcribe(speech.jfk)).id);
    expect(second).toMatchObject({
      state: 'completed',
      result: { cached: true },
      note: expect.stringMatching(/result cache/),
    });
    expect(Date.now() - again).toBeLessThan(firstMs);
    expect(
      engine.repos.transcripts.get((second.result as { transcriptId: string }).transcriptId)
        ?.document,
    ).toEqual(doc);

    // A different setting misses the cache.
    const other = await finished((await transcribe(speech.jfk, { preset: 'social' })).id);
    expect(other.result).toMatchObject({ cached: false });
  }, 180_000);

  it('exports a transcript as a job, and refuses an unknown format or a target that is not a file', async () => {
    const done = await finished((await transcribe(speech.jfk)).id);
    const { transcriptId } = done.result as { transcriptId: string };
    // Export jobs write into the data folder's exports/ (or folders allowed in Settings).
    const exportsDir = join(work, 'data', 'exports');
    const path = join(exportsDir, 'jfk.vtt');
    const exported = await finished(
      engine.jobs.submit({ kind: 'export', params: { transcriptId, format: 'vtt', path } }).id,
    );
    expect(exported).toMatchObject({ state: 'completed', result: { path, format: 'vtt' } });
    expect(readFileSync(path, 'utf8')).toMatch(/^WEBVTT/);

    // Parameters are parsed when the job is submitted: a bad one is refused, nothing is queued.
    const queued = engine.jobs.counts().queued;
    expect(() =>
      engine.jobs.submit({ kind: 'export', params: { transcriptId, format: 'pdf', path } }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/Invalid export parameter at format/),
      }),
    );
    expect(engine.jobs.counts().queued).toBe(queued);
    // An existing target that is not a regular file (here a folder) is never replaced.
    mkdirSync(join(exportsDir, 'folder'));
    const folder = await finished(
      engine.jobs.submit({
        kind: 'export',
        params: { transcriptId, format: 'srt', path: join(exportsDir, 'folder') },
      }).id,
    );
    expect(folder).toMatchObject({
      state: 'failed',
      error: { message: expect.stringMatching(/not a regular file/) },
    });
    expect(readFileSync(path, 'utf8')).toMatch(/^WEBVTT/); // the earlier export is untouched
  }, 120_000);

  it('re-transcribes a span of a transcript, keeping every word outside it, and lets an edit made meanwhile win', async () => {
    const done = await finished((await transcribe(speech.jfk)).id);
    const { transcriptId } = done.result as { transcriptId: string };
    const before = engine.repos.transcripts.get(transcriptId)!;
    const wordsOf = (doc: unknown) =>
      (doc as TranscriptDocument).segments.flatMap((s) => s.lines.flatMap((l) => l.words));
    const outside = (w: { start: number; end: number }) =>
      (w.start + w.end) / 2 < 3000 || (w.start + w.end) / 2 >= 7000;

    const job = await finished(
      engine.jobs.submit({
        kind: 'retranscribe-span',
        lane: 'interactive',
        params: { transcriptId, startMs: 3000, endMs: 7000 },
      }).id,
    );
    expect(job).toMatchObject({
      state: 'completed',
      result: { transcriptId, version: before.version + 1 },
    });
    const after = engine.repos.transcripts.get(transcriptId)!;
    validateDocument(after.document);
    const keep = (w: { id: string; text: string; start: number; end: number }) => [
      w.id,
      w.text,
      w.start,
      w.end,
    ];
    expect(wordsOf(after.document).filter(outside).map(keep)).toEqual(
      wordsOf(before.document).filter(outside).map(keep),
    );

    // Saved meanwhile (the job reads the transcript when it starts): the edit stays, the job fails.
    const racing = engine.jobs.submit({
      kind: 'retranscribe-span',
      params: { transcriptId, startMs: 0, endMs: 4000 },
    });
    const edited = engine.repos.transcripts.update(transcriptId, after.version, {
      ...(after.document as TranscriptDocument),
      notes: ['edited by hand'],
    });
    expect(await finished(racing.id)).toMatchObject({
      state: 'failed',
      error: { code: 'CONFLICT' },
    });
    expect(engine.repos.transcripts.get(transcriptId)).toMatchObject({
      version: edited.version,
      document: { notes: ['edited by hand'] },
    });
  }, 180_000);

  it('re-transcribes a span through the same finish: the glossary corrections of the transcript apply to the new words', async () => {
    // Every vowel becomes "#": each word Whisper writes shows whether the corrections ran on it.
    const glossary = { rules: [{ mode: 'regex', match: '[aeiouAEIOU]', replace: '#' }] };
    const done = await finished((await transcribe(speech.jfk, { glossary })).id);
    expect(done.state).toBe('completed');
    const { transcriptId } = done.result as { transcriptId: string };
    const text = () =>
      (engine.repos.transcripts.get(transcriptId)!.document as TranscriptDocument).segments
        .flatMap((s) => s.lines.flatMap((l) => l.words.map((w) => w.text)))
        .join(' ');
    expect(text()).toMatch(/#/);
    expect(text()).not.toMatch(/[aeiou]/i);

    const span = await finished(
      engine.jobs.submit({
        kind: 'retranscribe-span',
        params: { transcriptId, startMs: 0, endMs: 11_000 },
      }).id,
    );
    expect(span).toMatchObject({ state: 'completed' });
    expect((span.result as { insertedWordIds: string[] }).insertedWordIds.length).toBeGreaterThan(
      0,
    );
    expect(text()).toMatch(/#/);
    expect(text()).not.toMatch(/[aeiou]/i);
  }, 180_000);

  it('drafts with one model and refines weak spans with another, merged into a valid document', async () => {
    await engine.models.importFile((await ensureTestModel('base', 1)).path, { id: 'base-random' });
    const job = await finished(
      (await transcribe(speech.jfk, { refine: { modelId: 'base-random', threshold: 1 } })).id,
    );
    expect(job).toMatchObject({
      state: 'completed',
      result: { cached: false, refinedSpans: expect.any(Number) },
    });
    expect((job.result as { refinedSpans: number }).refinedSpans).toBeGreaterThan(0);
    expect(job.note).toMatch(/transcribed again with base-random/);
    const doc = validateDocument(
      engine.repos.transcripts.get((job.result as { transcriptId: string }).transcriptId)!.document,
    );
    expect(doc.segments.length).toBeGreaterThan(0);
  }, 300_000);

  it('finishes media without speech cleanly, with an empty transcript and a note', async () => {
    const silence = join(work, 'silence.wav');
    await promisify(execFile)('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=16000:cl=mono',
      '-t',
      '4',
      silence,
    ]);
    const job = await finished((await transcribe(silence)).id);
    expect(job).toMatchObject({
      state: 'completed',
      note: expect.stringMatching(/No speech was detected/),
    });
    const doc = engine.repos.transcripts.get((job.result as { transcriptId: string }).transcriptId)!
      .document as TranscriptDocument;
    expect(doc.segments).toEqual([]);
    expect(doc.notes.join(' ')).toMatch(/No speech/);
  }, 60_000);

  it('fails clearly when the model is not downloaded, or the media vanished', async () => {
    const missingModel = await finished(
      (await transcribe(speech.jfk, { modelId: 'whisper-base.en' })).id,
    );
    expect(missingModel).toMatchObject({ state: 'failed', error: { code: 'MODEL_NOT_READY' } });
    expect(missingModel.error?.message).toBe('Model "whisper-base.en" is not installed.');

    const copy = join(work, 'moved.wav');
    copyFileSync(speech.jfk, copy);
    const item = await engine.media.add(copy);
    unlinkSync(copy);
    const vanished = await finished(
      engine.jobs.submit({ kind: 'transcribe', mediaId: item.id, params: { modelId: model } }).id,
    );
    expect(vanished).toMatchObject({ state: 'failed', error: { code: 'MEDIA_NOT_FOUND' } });
    expect(engine.repos.media.get(item.id)).toBeDefined();

    await expect(transcribe(speech.jfk, { preset: 'cinema' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/Invalid transcription parameter at preset/),
    });
  }, 60_000);

  it('cancels a running job, leaving no transcript "in progress"', async () => {
    const long = join(work, 'long.wav');
    await promisify(execFile)('sox', [
      speech.jfk,
      speech.jfk,
      speech.jfk,
      speech.jfk,
      speech.jfk,
      speech.jfk,
      long,
    ]);
    const job = await transcribe(long, {
      preset: 'custom',
      customRules: {
        maxCharsPerLine: 37,
        maxLines: 2,
        maxCharsPerSecond: 20,
        minDurationMs: 1000,
        maxDurationMs: 6000,
        minGapMs: 80,
      },
    });
    await new Promise<void>((resolve) => {
      const off = engine.jobs.onEvent((e) => {
        if (e.type === 'job' && e.job.id === job.id && e.job.stage === 'transcribe') {
          off();
          resolve();
        }
      });
    });
    engine.jobs.cancel(job.id);
    const done = await finished(job.id);
    expect(done).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
    // What Whisper had written stays as a complete transcript with a note, or nothing stays
    // (see partial-transcript.test.ts); never a transcript that looks still in progress.
    const left = engine.repos.transcripts.listForJob(job.id);
    expect(left.map((t) => t.status)).not.toContain('partial');
  }, 120_000);
});
