import type { ModelStatus } from '../../../../src-main/contract/models';
import { errorText } from '../../../../src-main/common/remedies';

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** "99 languages" for a multilingual Whisper model, "English" for `['en']`, "any" for none listed. */
export function formatLanguages(languages: readonly string[]): string {
  if (languages.includes('multi')) return '99 languages';
  if (languages.length === 0) return 'any';
  return languages.map((code) => languageNames.of(code) ?? code).join(', ');
}

/**
 * The language a recommendation is made for: the Settings default when it names one, else the
 * language of this browser (`en-GB` → `en`), so an English speaker gets an English-only model.
 */
export function recommendationLanguage(
  defaultLanguage: string | undefined,
  browser: string,
): string {
  if (defaultLanguage && defaultLanguage !== 'auto') return defaultLanguage;
  const primary = browser.split('-')[0]?.toLowerCase() ?? '';
  return /^[a-z]{2,3}$/.test(primary) ? primary : 'auto';
}

/** Why a model's last download failed and what to do, in the app's words (remedies.ts, face 'ui'). */
export function downloadFailureText(error: NonNullable<ModelStatus['lastError']>): string {
  return errorText(error, 'ui');
}
