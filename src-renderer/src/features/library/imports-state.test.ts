import { describe, expect, it } from 'vitest';
import { importPercent, importsReducer, type ImportEntry } from './imports-state';

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
      { type: 'failed', key: 'a', error: 'not media' },
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
