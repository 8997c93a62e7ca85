import type { ModelStatus } from '../../../../src-main/contract/models';
import { errorText } from '../../../../src-main/common/remedies';

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** "99 languages" for a multilingual Whisper model, "English" for `['en']`, "any" for none listed. */
export function formatLanguages(languages: readonly string[]): string {
  if (languages.includes('multi')) return '99 languages';
  if (languages.length === 0) return 'any';
  return languages.map((code) => languageNames.of(code) ?? code).join(', ');
}

/** Why a model's last download failed and what to do, in the app's words (remedies.ts, face 'ui'). */
export function downloadFailureText(error: NonNullable<ModelStatus['lastError']>): string {
  return errorText(error, 'ui');
}
