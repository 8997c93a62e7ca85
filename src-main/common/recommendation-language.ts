/**
 * The language a model recommendation is made for: the Settings default when it names one, else
 * the person's own language (the browser's `en-GB`, or a shell's `LANG=en_US.UTF-8` → `en`), so
 * an English speaker gets an English-only model; 'auto' (multilingual) when neither says.
 * Pure: the app and the CLI share it.
 */
export function recommendationLanguage(
  defaultLanguage: string | undefined,
  locale: string | undefined,
): string {
  if (defaultLanguage && defaultLanguage !== 'auto') return defaultLanguage;
  const primary = (locale ?? '').split(/[-_.@]/)[0]?.toLowerCase() ?? '';
  return /^[a-z]{2,3}$/.test(primary) ? primary : 'auto';
}
