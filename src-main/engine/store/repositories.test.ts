import { beforeEach, describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import { openDatabase, type Db } from './database';
import { createRepositories, type Repositories } from './repositories';
import { documentWith, segmentOf } from './__fixtures__/documents';

/** A valid document told apart by its note. */
const noted = (note: string) => documentWith([], [note]);

let db: Db;
let repos: Repositories;
beforeEach(() => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
});

const someMedia = (name = 'talk.wav') => ({
  path: `/tmp/${name}`,
  name,
  sizeBytes: 1000,
  durationSec: 11,
  container: 'wav',
  audioCodec: 'pcm_s16le',
  sampleRate: 16000,
  channels: 1,
  hasVideo: false,
});

describe('media repository', () => {
  it('inserts, reads back, lists newest first and deletes', () => {
    const a = repos.media.insert(someMedia('a.wav'));
    const b = repos.media.insert(someMedia('b.wav'));
    expect(repos.media.get(a.id)).toEqual(a);
    expect(repos.media.list().map((m) => m.name)).toEqual(['b.wav', 'a.wav']);
    expect(repos.media.delete(b.id)).toBe(true);
    expect(repos.media.delete(b.id)).toBe(false);
    expect(repos.media.get(b.id)).toBeUndefined();
  });

  it('deleting media deletes its transcripts', () => {
    const m = repos.media.insert(someMedia());
    const t = repos.transcripts.insert({
      mediaId: m.id,
      modelId: null,
      language: 'en',
      document: noted('any'),
    });
    repos.media.delete(m.id);
    expect(repos.transcripts.get(t.id)).toBeUndefined();
  });
});

describe('transcripts repository', () => {
  it('versions every save and refuses a stale version with CONFLICT', () => {
    const m = repos.media.insert(someMedia());
    const t = repos.transcripts.insert({
      mediaId: m.id,
      modelId: 'whisper-base',
      language: 'en',
      document: documentWith([]),
    });
    expect(t.version).toBe(1);
    const hi = documentWith([segmentOf(1, 'hi')]);
    const saved = repos.transcripts.update(t.id, 1, hi);
    expect(saved.version).toBe(2);
    expect(saved.document).toEqual(hi);

    let caught: unknown;
    try {
      repos.transcripts.update(t.id, 1, documentWith([]));
    } catch (error) {
      caught = error;
    }
    expect(isEngineError(caught, 'CONFLICT')).toBe(true);
    expect((caught as Error).message).toMatch(/now version 2/);
    expect(repos.transcripts.get(t.id)?.document).toEqual(hi);
  });

  it('refuses a transcript for unknown media', () => {
    expect(() =>
      repos.transcripts.insert({
        mediaId: 'nope',
        modelId: null,
        language: null,
        document: noted('orphan'),
      }),
    ).toThrow(/FOREIGN KEY/);
  });

  it('reports NOT_FOUND when updating a missing transcript', () => {
    expect(() => repos.transcripts.update('missing', 1, noted('gone'))).toThrow(/does not exist/);
  });
});

describe('jobs repository', () => {
  it('walks queued → running → completed and counts attempts', () => {
    const job = repos.jobs.insert({
      kind: 'transcribe',
      lane: 'batch',
      mediaId: null,
      params: { a: 1 },
    });
    expect(job.state).toBe('queued');
    const running = repos.jobs.markRunning(job.id, 'decode');
    expect(running).toMatchObject({ state: 'running', stage: 'decode', attempts: 1 });
    repos.jobs.setProgress(job.id, 'transcribe', 0.5);
    expect(repos.jobs.get(job.id)).toMatchObject({ stage: 'transcribe', progress: 0.5 });
    const done = repos.jobs.finish(job.id, 'completed', { result: { transcriptId: 't' } });
    expect(done).toMatchObject({ state: 'completed', result: { transcriptId: 't' } });
    expect(done.finishedAt).not.toBeNull();
    // Progress on a finished job is ignored.
    repos.jobs.setProgress(job.id, 'decode', 0.1);
    expect(repos.jobs.get(job.id)?.progress).toBe(0.5);
  });

  it('requeues a running job and filters by state', () => {
    const a = repos.jobs.insert({ kind: 'transcribe', lane: 'batch', mediaId: null, params: {} });
    const b = repos.jobs.insert({ kind: 'export', lane: 'interactive', mediaId: null, params: {} });
    repos.jobs.markRunning(a.id, 'probe');
    repos.jobs.finish(b.id, 'failed', { error: { code: 'X', message: 'why' } });
    expect(repos.jobs.list({ states: ['running'] }).map((j) => j.id)).toEqual([a.id]);
    expect(repos.jobs.requeue(a.id)).toMatchObject({ state: 'queued', stage: null, attempts: 1 });
    expect(repos.jobs.get(b.id)?.error).toEqual({ code: 'X', message: 'why' });
  });

  it('rejects an unknown state at the database level', () => {
    const a = repos.jobs.insert({ kind: 'transcribe', lane: 'batch', mediaId: null, params: {} });
    expect(() => db.prepare("UPDATE jobs SET state = 'paused' WHERE id = ?").run(a.id)).toThrow(
      /CHECK constraint/,
    );
  });
});

describe('models and settings repositories', () => {
  it('upserts model records', () => {
    repos.models.upsert({
      id: 'whisper-base',
      kind: 'whisper',
      path: '/m/ggml-base.bin',
      status: 'ready',
      sizeBytes: 10,
      sha256: 'a'.repeat(64),
      source: 'download',
      error: null,
    });
    repos.models.upsert({
      id: 'whisper-base',
      kind: 'whisper',
      path: '/m/ggml-base.bin',
      status: 'corrupt',
      sizeBytes: 10,
      sha256: null,
      source: 'download',
      error: 'checksum',
    });
    expect(repos.models.list()).toHaveLength(1);
    expect(repos.models.get('whisper-base')).toMatchObject({
      status: 'corrupt',
      error: 'checksum',
    });
    expect(repos.models.delete('whisper-base')).toBe(true);
  });

  it('stores JSON values', () => {
    repos.settings.set('limits', { maxDurationSec: 3600 });
    repos.settings.set('theme', 'dark');
    expect(repos.settings.get('limits')).toEqual({ maxDurationSec: 3600 });
    expect(repos.settings.all()).toEqual({ limits: { maxDurationSec: 3600 }, theme: 'dark' });
    expect(repos.settings.get('missing')).toBeUndefined();
  });
});

describe('pipeline columns (migration 2)', () => {
  it('remembers a media content hash', () => {
    const m = repos.media.insert(someMedia());
    expect(m.sha256).toBeNull();
    repos.media.setSha256(m.id, 'f'.repeat(64));
    expect(repos.media.get(m.id)?.sha256).toBe('f'.repeat(64));
  });

  it('answers a cache key only with a complete transcript, newest first', () => {
    const m = repos.media.insert(someMedia());
    const job = repos.jobs.insert({ kind: 'transcribe', lane: 'batch', mediaId: m.id, params: {} });
    const partial = repos.transcripts.insert({
      mediaId: m.id,
      modelId: 'x',
      language: null,
      document: noted('0'),
      status: 'partial',
      jobId: job.id,
    });
    expect(repos.transcripts.findByCacheKey('key-1')).toBeUndefined();
    const updated = repos.transcripts.update(partial.id, 1, noted('1'));
    const done = repos.transcripts.complete(partial.id, updated.version, noted('2'), {
      language: 'en',
      cacheKey: 'key-1',
    });
    expect(done).toMatchObject({
      status: 'complete',
      language: 'en',
      cacheKey: 'key-1',
      version: 3,
      document: noted('2'),
    });
    expect(repos.transcripts.findByCacheKey('key-1')?.id).toBe(partial.id);
    expect(repos.transcripts.listForJob(job.id).map((t) => t.id)).toEqual([partial.id]);
    expect(() =>
      repos.transcripts.complete(partial.id, 1, noted('x'), { language: null, cacheKey: null }),
    ).toThrow(/changed elsewhere/);
    // Edited afterwards, it is no longer the model's output: the cache stops answering with it.
    const edited = repos.transcripts.update(partial.id, done.version, noted('3, edited'));
    expect(edited.cacheKey).toBeNull();
    expect(repos.transcripts.findByCacheKey('key-1')).toBeUndefined();
  });

  it('keeps a note on a finished job', () => {
    const job = repos.jobs.insert({ kind: 'transcribe', lane: 'batch', mediaId: null, params: {} });
    repos.jobs.markRunning(job.id, 'probe');
    expect(repos.jobs.finish(job.id, 'completed', { note: 'Answered from the cache.' }).note).toBe(
      'Answered from the cache.',
    );
  });
});

describe('voices repository', () => {
  it('keeps prints per transcript speaker, links them to voices and lets both go cleanly', () => {
    const m = repos.media.insert(someMedia());
    const t = repos.transcripts.insert({
      mediaId: m.id,
      modelId: null,
      language: null,
      document: noted('any'),
    });
    const print = (speakerId: string, values: number[]) => ({
      speakerId,
      kind: 'k1',
      print: values,
      voiceId: null,
    });
    repos.voices.savePrints(t.id, [print('spk1', [1, 2]), print('spk2', [3, 4])]);
    const voice = repos.voices.insert({
      id: 'v1',
      name: 'Ana',
      kind: 'k1',
      print: [1, 2],
      createdAt: 'now',
    });
    expect(voice.transcripts).toBe(0);
    expect(repos.voices.link(t.id, 'spk1', 'v1')).toBe(true);
    expect(repos.voices.link(t.id, 'spk9', 'v1')).toBe(false);
    expect(repos.voices.get('v1')).toMatchObject({ print: [1, 2], transcripts: 1 });
    expect(repos.voices.listOfKind('k1').map((v) => v.id)).toEqual(['v1']);
    expect(repos.voices.listOfKind('k2')).toEqual([]);
    // A new diarization replaces the prints.
    repos.voices.savePrints(t.id, [print('spk1', [5, 6])]);
    expect(repos.voices.prints(t.id)).toEqual([{ ...print('spk1', [5, 6]), transcriptId: t.id }]);
    repos.voices.link(t.id, 'spk1', 'v1');
    // Forgetting the voice unlinks the speaker; deleting the transcript drops its prints.
    expect(repos.voices.delete('v1')).toBe(true);
    expect(repos.voices.prints(t.id)[0]!.voiceId).toBeNull();
    repos.transcripts.delete(t.id);
    expect(repos.voices.prints(t.id)).toEqual([]);
  });
});
