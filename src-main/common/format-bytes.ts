/**
 * Sizes for people, in decimal units (1 KB = 1000 bytes, as disks and downloads count): whole
 * bytes below 1 KB, else one decimal, so a size near a limit still reads differently from it
 * ("10.2 MB, more than the 10.0 MB limit"). The engine's messages and the app's screens use this
 * one function.
 */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
