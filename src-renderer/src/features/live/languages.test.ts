import { describe, expect, it } from 'vitest';
import { languageChoices, languageLabel } from './languages';

describe('languageLabel', () => {
  it('names a code in English with the code, and auto as detection', () => {
    expect(languageLabel('de')).toBe('German (de)');
    expect(languageLabel('auto')).toBe('Detect automatically');
  });

  it('shows an unknown or malformed code as it is', () => {
    expect(languageLabel('x!')).toBe('x!');
  });
});

describe('languageChoices', () => {
  it('adds a default from Settings that is not in the list, once', () => {
    expect(languageChoices('eu').at(-1)).toBe('eu');
    expect(languageChoices('en').filter((c) => c === 'en')).toHaveLength(1);
    expect(languageChoices(undefined)[0]).toBe('auto');
  });
});
