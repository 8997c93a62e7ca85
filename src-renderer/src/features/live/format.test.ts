import { describe, expect, it } from 'vitest';
import { formatBehind, formatElapsed, lagVisible } from './format';

describe('formatElapsed', () => {
  it('shows minutes and seconds, and hours once there are some', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(7_900)).toBe('0:07');
    expect(formatElapsed(754_000)).toBe('12:34');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(-5)).toBe('0:00');
  });
});

describe('formatBehind', () => {
  it('rounds to whole seconds, at least one', () => {
    expect(formatBehind(4_400)).toBe('Captions are 4 s behind');
    expect(formatBehind(200)).toBe('Captions are 1 s behind');
  });
});

describe('lagVisible', () => {
  it('shows a lag report for a few seconds after it arrives', () => {
    expect(lagVisible({ at: 1000 }, 2000)).toBe(true);
    expect(lagVisible({ at: 1000 }, 4000)).toBe(false);
    expect(lagVisible(null, 0)).toBe(false);
  });
});
