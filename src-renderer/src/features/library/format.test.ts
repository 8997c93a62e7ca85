import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, formatSpeakers } from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0:00:00'],
    [11.04, '0:00:11'],
    [59.6, '0:01:00'],
    [3599, '0:59:59'],
    [3600, '1:00:00'],
    [10_923, '3:02:03'],
    [-4, '0:00:00'],
  ])('%d s → %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});

describe('formatClock', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [7_500, '0:07'],
    [65_000, '1:05'],
    [3_599_999, '59:59'],
    [3_600_000, '1:00:00'],
    [3_725_000, '1:02:05'],
  ])('%d ms → %s', (ms, text) => expect(formatClock(ms)).toBe(text));
});

describe('formatSpeakers', () => {
  it.each([
    [null, '—'],
    [undefined, '—'],
    [0, '—'],
    [1, '1 speaker'],
    [3, '3 speakers'],
  ])('%s → %s', (count, text) => expect(formatSpeakers(count)).toBe(text));
});
