import { describe, expect, it } from 'vitest';
import { recommendationLanguage } from '../../../../src-main/common/recommendation-language';
import { downloadFailureText, formatLanguages } from './format';

describe('formatLanguages', () => {
  it('names multilingual, language-free and listed models', () => {
    expect(formatLanguages(['multi'])).toBe('99 languages');
    expect(formatLanguages([])).toBe('any');
    expect(formatLanguages(['en'])).toBe('English');
    expect(formatLanguages(['en', 'de'])).toBe('English, German');
  });
});

describe('recommendationLanguage', () => {
  it('takes the Settings default, else the browser language, else auto', () => {
    expect(recommendationLanguage('fr', 'en-US')).toBe('fr');
    expect(recommendationLanguage('auto', 'en-GB')).toBe('en');
    expect(recommendationLanguage(undefined, 'de')).toBe('de');
    expect(recommendationLanguage('auto', '')).toBe('auto');
    expect(recommendationLanguage('auto', 'en_US.UTF-8')).toBe('en');
    expect(recommendationLanguage('auto', 'C')).toBe('auto');
  });
});

describe('downloadFailureText', () => {
  it('words an offline download in the app: the URL to fetch and where to import it', () => {
    const url = 'https://huggingface.co/x/ggml-base.en.bin';
    const text = downloadFailureText({
      code: 'MODEL_OFFLINE',
      message: 'Cannot reach huggingface.co (ENOTFOUND): check your connection and try again.',
      details: { url, host: 'huggingface.co', reason: 'ENOTFOUND', fix: 'import-model' },
    });
    expect(text).toMatch(/^Cannot reach huggingface\.co \(ENOTFOUND\): check your connection/);
    expect(text).toContain(url);
    expect(text).toContain('Import a model file…');
    expect(text).not.toMatch(/npm run|npx studio/);
  });
});
