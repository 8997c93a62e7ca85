/**
 * The languages whisper.cpp knows, in its own order (the index is whisper.cpp's language id):
 * a static copy of the addon's list (the table lives in common/whisper-languages.ts, where the
 * settings and the UI read it too), so that the engine's process, which never loads the addon,
 * can check and name languages. languages.test.ts compares it with the addon's list; when
 * whisper.cpp adds a language, that test fails and shows the new list to copy there.
 */
import { whisperLanguageTable as TABLE } from '../../common/whisper-languages';
import type { WhisperLanguage } from './params';

const LANGUAGES: readonly WhisperLanguage[] = Object.freeze(
  TABLE.map(([code, name], id) => Object.freeze({ id, code, name })),
);

/** The languages whisper.cpp knows (ids, ISO codes and English names in lower case). */
export function whisperLanguages(): readonly WhisperLanguage[] {
  return LANGUAGES;
}
