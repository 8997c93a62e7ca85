import { describe, expect, it } from 'vitest';
import { formatDate } from './format-date';

describe('formatDate', () => {
  it('formats in the given locale and zone, as the Library and the Queue show a moment', () => {
    expect(formatDate('2024-03-05T14:07:00.000Z', 'en-GB', 'UTC')).toBe('5 Mar 2024, 14:07');
    expect(formatDate('2024-03-05T14:07:59.000Z', 'en-US', 'UTC')).toBe('Mar 5, 2024, 2:07 PM');
  });
  it('shows an unparsable date as it came', () => {
    expect(formatDate('yesterday')).toBe('yesterday');
  });
});
