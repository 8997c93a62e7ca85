/** Clock-style timecodes for subtitle and text exports. */

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/**
 * `HH:MM:SS` followed by `separator` and milliseconds (`HH:MM:SS,mmm` for SRT with ',', `.` for
 * WebVTT), or `HH:MM:SS` alone when `separator` is null (seconds truncated). Hours take more
 * digits past 99.
 */
export function formatTimecode(ms: number, separator: ',' | '.' | null): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const seconds = Math.floor(total / 1000) % 60;
  const clock = `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}`;
  return separator === null ? clock : `${clock}${separator}${pad(total % 1000, 3)}`;
}
