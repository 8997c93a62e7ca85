const pad = (n: number) => String(n).padStart(2, '0');

/** A media length as `h:mm:ss` (always with hours, so a column of durations lines up). */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return `${h}:${pad(m)}:${pad(total % 60)}`;
}

/** A time inside a file as `m:ss`, or `h:mm:ss` from an hour on (search hits, jump targets). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = pad(total % 60);
  return h > 0 ? `${h}:${pad(m)}:${s}` : `${m}:${s}`;
}

/** "1 speaker", "3 speakers", or an em dash when unknown. */
export function formatSpeakers(count: number | null | undefined): string {
  if (count === null || count === undefined || count <= 0) return '—';
  return `${count} speaker${count === 1 ? '' : 's'}`;
}
