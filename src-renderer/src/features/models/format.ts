/** Human file sizes: 1 decimal below 10 units, none above. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function formatLanguages(languages: readonly string[]): string {
  if (languages.includes('multi')) return '99 languages';
  if (languages.length === 0) return 'any';
  return languages.join(', ');
}
