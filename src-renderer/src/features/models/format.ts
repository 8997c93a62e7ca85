export function formatLanguages(languages: readonly string[]): string {
  if (languages.includes('multi')) return '99 languages';
  if (languages.length === 0) return 'any';
  return languages.join(', ');
}
