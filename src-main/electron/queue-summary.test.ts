import { describe, expect, it } from 'vitest';
import { queueSummary } from './queue-summary';

describe('queueSummary', () => {
  it('counts running and queued jobs and ignores finished ones', () => {
    expect(queueSummary([])).toBe('Idle');
    expect(queueSummary(['completed', 'failed'])).toBe('Idle');
    expect(queueSummary(['running', 'queued', 'queued', 'completed'])).toBe('1 running, 2 queued');
    expect(queueSummary(['queued'])).toBe('1 queued');
  });
});
