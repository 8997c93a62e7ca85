import { describe, expect, it } from 'vitest';
import type { JobView } from '../../../../src-main/contract/jobs';
import { importPercent, importStatus, importsReducer, type ImportEntry } from './imports-state';

const run = (...actions: Parameters<typeof importsReducer>[1][]) =>
  actions.reduce<ImportEntry[]>(importsReducer, []);

describe('importsReducer', () => {
  it('tracks an upload from bytes to probe to added', () => {
    const start = { type: 'start', key: 'k', name: 'a.wav', total: 200, upload: true } as const;
    let entries = run(start, { type: 'progress', key: 'k', loaded: 50, total: 200 });
    expect(entries[0]).toMatchObject({ state: 'uploading', loaded: 50 });
    expect(importPercent(entries[0]!)).toBe(25);

    entries = importsReducer(entries, { type: 'progress', key: 'k', loaded: 200, total: 200 });
    expect(entries[0]?.state).toBe('checking');
    expect(importPercent(entries[0]!)).toBeNull();

    entries = importsReducer(entries, { type: 'added', key: 'k', mediaId: 'm1', name: 'a.wav' });
    expect(entries[0]).toMatchObject({ state: 'added', mediaId: 'm1', transcribe: 'none' });
    expect(importPercent(entries[0]!)).toBe(100);
  });

  it('starts a path import in the checking state and lists newest first', () => {
    const entries = run(
      { type: 'start', key: 'a', name: 'one', total: 0, upload: true },
      { type: 'start', key: 'b', name: '/x/two.wav', total: 0, upload: false },
    );
    expect(entries.map((e) => [e.key, e.state])).toEqual([
      ['b', 'checking'],
      ['a', 'uploading'],
    ]);
    expect(importPercent(entries[1]!)).toBeNull();
  });

  it('records failures and transcription requests, dismisses and clears', () => {
    let entries = run(
      { type: 'start', key: 'a', name: 'a', total: 10, upload: true },
      { type: 'start', key: 'b', name: 'b', total: 10, upload: true },
      { type: 'start', key: 'c', name: 'c', total: 10, upload: true },
      { type: 'failed', key: 'a', error: 'not media', rejected: true },
      { type: 'added', key: 'b', mediaId: 'm', name: 'b' },
      { type: 'transcribe', key: 'b', transcribe: 'started' },
    );
    expect(entries.find((e) => e.key === 'a')).toMatchObject({
      state: 'failed',
      error: 'not media',
    });
    expect(entries.find((e) => e.key === 'b')?.transcribe).toBe('started');
    entries = importsReducer(entries, { type: 'dismiss', key: 'c' });
    expect(entries.map((e) => e.key)).toEqual(['b', 'a']);
    entries = importsReducer(
      importsReducer(entries, { type: 'start', key: 'd', name: 'd', total: 1, upload: true }),
      { type: 'clear-finished' },
    );
    expect(entries.map((e) => e.key)).toEqual(['d']);
  });
});

describe('importStatus', () => {
  const added = run(
    { type: 'start', key: 'k', name: 'talk.wav', total: 10, upload: true },
    { type: 'added', key: 'k', mediaId: 'm', name: 'talk.wav' },
    { type: 'transcribe', key: 'k', transcribe: 'started', jobId: 'j1' },
  )[0]!;
  const job = (state: JobView['state'], extra: Partial<JobView> = {}) =>
    ({ id: 'j1', state, percent: 40, error: null, ...extra }) as const;

  it('says a refused file was rejected, with the reason, and shows no filled bar', () => {
    const [entry] = run(
      { type: 'start', key: 'a', name: 'fake.wav', total: 10, upload: true },
      { type: 'progress', key: 'a', loaded: 10, total: 10 },
      { type: 'failed', key: 'a', error: '"fake.wav" is not a media file.', rejected: true },
    );
    expect(importStatus(entry!)).toEqual({
      label: 'Rejected',
      tone: 'bad',
      detail: '"fake.wav" is not a media file.',
      bar: false,
    });
    const [lost] = run(
      { type: 'start', key: 'b', name: 'b.wav', total: 10, upload: true },
      { type: 'failed', key: 'b', error: 'The connection was lost.', rejected: false },
    );
    expect(importStatus(lost!)).toMatchObject({ label: 'Failed', tone: 'bad', bar: false });
  });

  it('follows the transcription it started to its end', () => {
    expect(added.jobId).toBe('j1');
    expect(importStatus(added).detail).toBe('Added — transcription queued');
    expect(importStatus(added, job('queued')).detail).toBe('Added — transcription queued');
    expect(importStatus(added, job('running')).detail).toBe('Added — transcribing 40%');
    expect(importStatus(added, job('completed'))).toMatchObject({
      label: 'Transcribed',
      tone: 'ok',
    });
    const failed = importStatus(
      added,
      job('failed', { error: { code: 'MEDIA_NOT_FOUND', message: 'The file is gone.' } }),
    );
    expect(failed).toMatchObject({
      label: 'Transcription failed',
      tone: 'bad',
      detail: 'The file is gone.',
    });
    expect(importStatus(added, job('cancelled')).label).toBe('Transcription cancelled');
  });
});
