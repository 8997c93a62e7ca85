import { describe, expect, it } from 'vitest';
import { formatLanguages } from './format';

describe('formatLanguages', () => {
  it('names multilingual, language-free and listed models', () => {
    expect(formatLanguages(['multi'])).toBe('99 languages');
    expect(formatLanguages([])).toBe('any');
    expect(formatLanguages(['en'])).toBe('en');
  });
});
