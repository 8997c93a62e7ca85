import { describe, expect, it } from 'vitest';
import { formatBytes, formatLanguages } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [77_704_715, '78 MB'],
    [1_624_555_275, '1.6 GB'],
    [3_094_623_691, '3.1 GB'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('formatLanguages', () => {
  it('names multilingual, language-free and listed models', () => {
    expect(formatLanguages(['multi'])).toBe('99 languages');
    expect(formatLanguages([])).toBe('any');
    expect(formatLanguages(['en'])).toBe('en');
  });
});
