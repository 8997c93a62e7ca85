import { describe, expect, it } from 'vitest';
import { parseStoredSpeakers } from './speakers-choice';

describe('the library’s remembered speakers choice', () => {
  it('reads back what was stored', () => {
    const values = { choice: 'exact', count: '2', min: '', max: '' };
    expect(parseStoredSpeakers(JSON.stringify(values))).toEqual(values);
  });

  it('falls back to "as in the Settings" for nothing, garbage or another shape', () => {
    const fallback = { choice: 'default', count: '', min: '', max: '' };
    expect(parseStoredSpeakers(null)).toEqual(fallback);
    expect(parseStoredSpeakers('{not json')).toEqual(fallback);
    expect(parseStoredSpeakers(JSON.stringify({ choice: 'everyone' }))).toEqual(fallback);
  });
});
