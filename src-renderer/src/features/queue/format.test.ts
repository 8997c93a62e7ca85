import { describe, expect, it } from 'vitest';
import type { JobView } from '../../../../src-main/contract/jobs';
import { formatEta, progressDetail, sortJobs, transcriptOf } from './format';

const job = (over: Partial<JobView>): JobView => ({
  id: 'j',
  kind: 'transcribe',
  state: 'queued',
  stage: null,
  percent: 0,
  etaSec: null,
  queuePosition: null,
  lane: 'batch',
  mediaId: null,
  params: {},
  result: null,
  error: null,
  note: null,
  attempts: 0,
  createdAt: '2025-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  ...over,
});

describe('formatEta', () => {
  it.each([
    [0, '0 s'],
    [12.4, '12 s'],
    [59.6, '1 min'],
    [61, '1 min'],
    [3540, '59 min'],
    [3600, '1 h 00 min'],
    [3900, '1 h 05 min'],
    [-5, '0 s'],
  ])('%d s → %s', (seconds, text) => expect(formatEta(seconds)).toBe(text));
});

describe('progressDetail', () => {
  it('tells the queue position, the stage and the time left', () => {
    expect(progressDetail(job({ queuePosition: 2 }))).toBe('Waiting · #2 in line');
    expect(progressDetail(job({ state: 'running', stage: 'transcribe', etaSec: 150 }))).toBe(
      'Transcribing · about 3 min left',
    );
    expect(progressDetail(job({ state: 'running', stage: 'probe' }))).toBe('Reading the file');
    expect(progressDetail(job({ state: 'completed' }))).toBe('');
  });
});

describe('sortJobs', () => {
  it('puts running, then queued by position, then the rest newest first', () => {
    const sorted = sortJobs([
      job({ id: 'old', state: 'completed', createdAt: '2025-01-01T00:00:00Z' }),
      job({ id: 'q2', queuePosition: 2 }),
      job({ id: 'new', state: 'failed', createdAt: '2025-01-02T00:00:00Z' }),
      job({ id: 'run', state: 'running' }),
      job({ id: 'q1', queuePosition: 1 }),
    ]);
    expect(sorted.map((j) => j.id)).toEqual(['run', 'q1', 'q2', 'new', 'old']);
  });
});

describe('transcriptOf', () => {
  it('reads the transcript from the result or the parameters', () => {
    expect(transcriptOf(job({ result: { transcriptId: 't1', cached: false } }))).toBe('t1');
    expect(transcriptOf(job({ kind: 'export', params: { transcriptId: 't2' } }))).toBe('t2');
    expect(transcriptOf(job({}))).toBeNull();
  });
});
