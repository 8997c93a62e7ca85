import { describe, expect, it } from 'vitest';
import {
  anyTranscribing,
  defaultFilters,
  deriveStatus,
  isUploadedCopy,
  lastJobByMedia,
  matchesStatus,
  mediaListParams,
} from './library-state';

const item = (over: Partial<Parameters<typeof deriveStatus>[0]> = {}) => ({
  id: 'm1',
  transcript: null,
  job: null,
  ...over,
});

describe('deriveStatus', () => {
  it('is untranscribed with neither job nor transcript', () => {
    expect(deriveStatus(item()).status).toBe('untranscribed');
  });

  it('is transcribing while a job is queued or running, with its percent', () => {
    expect(deriveStatus(item({ job: { id: 'j1', state: 'queued', percent: 0 } }))).toEqual({
      status: 'transcribing',
      percent: 0,
      queued: true,
      error: null,
    });
    const running = deriveStatus(
      item({
        transcript: { id: 't1', status: 'complete' as const },
        job: { id: 'j1', state: 'running', percent: 140 },
      }),
    );
    expect(running).toMatchObject({ status: 'transcribing', percent: 100, queued: false });
  });

  it('takes the percent of the same job from the live job list', () => {
    const media = item({ job: { id: 'j1', state: 'queued', percent: 0 } });
    const live = { id: 'j1', state: 'running' as const, percent: 42, error: null };
    expect(deriveStatus(media, live)).toMatchObject({ percent: 42, queued: false });
    expect(deriveStatus(media, { ...live, id: 'other' })).toMatchObject({
      percent: 0,
      queued: true,
    });
    // A finished job in the list does not override a media row that still says running.
    expect(deriveStatus(media, { ...live, state: 'completed', percent: 100 }).status).toBe(
      'transcribing',
    );
  });

  it('is transcribed with a transcript, even when an older attempt failed', () => {
    const failed = {
      id: 'j0',
      state: 'failed' as const,
      percent: 0,
      error: { code: 'TRANSCRIBE_FAILED', message: 'boom' },
    };
    expect(
      deriveStatus(item({ transcript: { id: 't1', status: 'complete' as const } }), failed).status,
    ).toBe('transcribed');
  });

  it('is not transcribed with only a partial transcript left by a stopped job', () => {
    const partial = item({ transcript: { id: 't1', status: 'partial' } });
    expect(deriveStatus(partial).status).toBe('untranscribed');
    expect(
      deriveStatus(partial, { id: 'j0', state: 'failed', percent: 3, error: null }).status,
    ).toBe('failed');
  });

  it('is failed when the newest job failed and there is no transcript', () => {
    expect(
      deriveStatus(item(), {
        id: 'j0',
        state: 'failed',
        percent: 3,
        error: { code: 'MODEL_NOT_READY', message: 'no model' },
      }),
    ).toEqual({
      status: 'failed',
      percent: null,
      queued: false,
      error: 'no model',
    });
    expect(
      deriveStatus(item(), { id: 'j0', state: 'failed', percent: 3, error: null }).error,
    ).toMatch(/failed/);
    expect(
      deriveStatus(item(), { id: 'j0', state: 'cancelled', percent: 3, error: null }).status,
    ).toBe('untranscribed');
  });
});

describe('lastJobByMedia', () => {
  it('keeps the newest transcribe job per media item', () => {
    const jobs = [
      { id: 'a', kind: 'transcribe', mediaId: 'm1', createdAt: '2024-01-01T00:00:01Z' },
      { id: 'b', kind: 'transcribe', mediaId: 'm1', createdAt: '2024-01-01T00:00:03Z' },
      { id: 'c', kind: 'transcribe', mediaId: 'm1', createdAt: '2024-01-01T00:00:02Z' },
      { id: 'd', kind: 'export', mediaId: 'm2', createdAt: '2024-01-01T00:00:09Z' },
      { id: 'e', kind: 'transcribe', mediaId: null, createdAt: '2024-01-01T00:00:09Z' },
    ];
    const newest = lastJobByMedia(jobs);
    expect(newest.get('m1')?.id).toBe('b');
    expect(newest.has('m2')).toBe(false);
    expect(newest.size).toBe(1);
  });
});

describe('mediaListParams', () => {
  it('asks for the default order and everything', () => {
    expect(mediaListParams(defaultFilters, 500).toString()).toBe(
      'sort=created-desc&status=any&limit=500',
    );
  });

  it('maps each sort and passes a trimmed name', () => {
    const params = mediaListParams({ sort: 'duration', status: 'transcribed', name: ' Jfk ' }, 50);
    expect(Object.fromEntries(params)).toEqual({
      sort: 'duration',
      status: 'transcribed',
      limit: '50',
      q: 'Jfk',
    });
    expect(mediaListParams({ ...defaultFilters, sort: 'oldest' }, 1).get('sort')).toBe(
      'created-asc',
    );
    expect(mediaListParams({ ...defaultFilters, sort: 'name' }, 1).get('sort')).toBe('name');
  });

  it('asks for the superset of statuses the API cannot tell apart', () => {
    const status = (s: Parameters<typeof matchesStatus>[0]) =>
      mediaListParams({ ...defaultFilters, status: s }, 1).get('status');
    expect(status('untranscribed')).toBe('untranscribed');
    expect(status('failed')).toBe('untranscribed');
    // A re-transcription runs on an item that already has a transcript.
    expect(status('transcribing')).toBe('any');
  });
});

describe('matchesStatus', () => {
  it('lets everything through "any" and only the status otherwise', () => {
    expect(matchesStatus('any', 'failed')).toBe(true);
    expect(matchesStatus('failed', 'failed')).toBe(true);
    expect(matchesStatus('transcribed', 'transcribing')).toBe(false);
  });
});

describe('isUploadedCopy', () => {
  it('is true below the data folder’s uploads folder only', () => {
    expect(isUploadedCopy('/data/uploads/abc.wav', '/data')).toBe(true);
    expect(isUploadedCopy('/data/uploads/abc.wav', '/data/')).toBe(true);
    expect(isUploadedCopy('/data/uploadsx/abc.wav', '/data')).toBe(false);
    expect(isUploadedCopy('/home/me/talk.wav', '/data')).toBe(false);
    expect(isUploadedCopy('C:\\Studio\\uploads\\a.wav', 'C:\\Studio')).toBe(true);
  });
});

describe('anyTranscribing', () => {
  it('is true while any item has a queued or running job', () => {
    expect(
      anyTranscribing([item(), item({ transcript: { id: 't', status: 'complete' as const } })]),
    ).toBe(false);
    expect(
      anyTranscribing([item(), item({ job: { id: 'j1', state: 'running', percent: 5 } })]),
    ).toBe(true);
  });
});
