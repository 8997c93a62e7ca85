import { describe, expect, it } from 'vitest';
import {
  englishOnlyConflict,
  languageSettingProblem,
  languageSettingValues,
  whisperLanguageName,
} from './whisper-languages';

describe('the language setting', () => {
  it('accepts auto and every code whisper.cpp knows, nothing else', () => {
    expect(languageSettingValues[0]).toBe('auto');
    expect(languageSettingValues).toContain('yue');
    for (const ok of ['auto', 'en', 'fr', 'haw'])
      expect(languageSettingProblem(ok)).toBeUndefined();
    expect(languageSettingProblem('french')).toBe('Use the code "fr" for French, not "french".');
    expect(languageSettingProblem('FR')).toBe('Use the code "fr" for French, not "FR".');
    expect(languageSettingProblem('klingon')).toMatch(/"klingon" is not a language Whisper knows/);
  });

  it('names a code as people read it', () => {
    expect(whisperLanguageName('fr')).toBe('French');
    expect(whisperLanguageName('ht')).toBe('Haitian Creole');
    expect(whisperLanguageName('xx')).toBeUndefined();
  });

  it('finds the English-only model a default language would fail on', () => {
    const en = { id: 'base.en', kind: 'whisper', status: 'ready', languages: ['en'] };
    const multi = { id: 'base', kind: 'whisper', status: 'ready', languages: ['multi'] };
    expect(englishOnlyConflict('fr', null, [en, multi])).toBe('base.en');
    expect(englishOnlyConflict('fr', 'base', [en, multi])).toBeUndefined();
    expect(englishOnlyConflict('fr', null, [multi, en])).toBeUndefined();
    expect(englishOnlyConflict('en', null, [en])).toBeUndefined();
    expect(englishOnlyConflict('auto', 'base.en', [en])).toBeUndefined();
    expect(englishOnlyConflict('fr', null, [])).toBeUndefined();
  });
});
