import { describe, expect, it } from 'vitest';
import { eventsServerMessage } from '../../../contract/events';
import type { JobEvent, JobSnapshot } from '../../../engine/jobs/job-runner';
import { eventMessage } from './index';

const snapshot: JobSnapshot = {
  id: 'j1',
  kind: 'transcribe',
  state: 'running',
  stage: 'transcribe',
  progress: 0.5,
  percent: 50,
  etaSec: 12,
  queuePosition: null,
  lane: 'batch',
  mediaId: 'm1',
  params: { modelId: 'base' },
  result: null,
  error: null,
  attempts: 1,
  note: null,
  createdAt: '2026-12-07T00:00:00.000Z',
  startedAt: '2026-12-07T00:00:01.000Z',
  finishedAt: null,
};

describe('engine events as socket messages', () => {
  it('sends the engine event itself (serialized once for every socket) when the contract takes it', () => {
    const events: JobEvent[] = [
      { type: 'job', job: snapshot },
      {
        type: 'job-output',
        jobId: 'j1',
        output: { type: 'segment', transcriptId: 't1', segment: { t0: 0, t1: 900, text: 'Hi' } },
      },
      { type: 'job-output', jobId: 'j1', output: { type: 'progress-note', text: 'x' } },
    ];
    for (const event of events) {
      const message = eventMessage(event);
      expect(message).toBe(event);
      expect(eventsServerMessage.safeParse(message).success).toBe(true);
    }
  });

  it('drops job output the contract cannot carry instead of sending it', () => {
    for (const output of ['text', 42, null, ['a']]) {
      expect(eventMessage({ type: 'job-output', jobId: 'j1', output })).toBeNull();
    }
  });
});
