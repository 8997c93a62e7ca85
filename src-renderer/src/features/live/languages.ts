/** Languages offered for live captions (Whisper knows more; these cover most users). */
export const liveLanguages = [
  'auto',
  'en',
  'es',
  'fr',
  'de',
  'it',
  'pt',
  'nl',
  'pl',
  'sv',
  'da',
  'no',
  'fi',
  'cs',
  'ro',
  'hu',
  'el',
  'tr',
  'ru',
  'uk',
  'ar',
  'he',
  'hi',
  'ja',
  'ko',
  'zh',
  'id',
  'vi',
] as const;

let names: Intl.DisplayNames | undefined;

/** A language code as a person reads it: `de` → `German (de)`, `auto` → `Detect automatically`. */
export function languageLabel(code: string): string {
  if (code === 'auto') return 'Detect automatically';
  names ??= new Intl.DisplayNames(['en'], { type: 'language' });
  let name: string | undefined;
  try {
    name = names.of(code);
  } catch {
    name = undefined; // not a well-formed code
  }
  return name && name !== code ? `${name} (${code})` : code;
}

/** The offered languages, plus `extra` (e.g. the default from Settings) when it is not one. */
export function languageChoices(extra: string | undefined): string[] {
  const list: string[] = [...liveLanguages];
  return extra && !list.includes(extra) ? [...list, extra] : list;
}
