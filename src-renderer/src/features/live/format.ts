/** A session's running time as a clock: `0:07`, `12:34`, `1:02:03`. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const seconds = String(total % 60).padStart(2, '0');
  const minutes = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** How far behind the speech the captions are, in words. */
export function formatBehind(behindMs: number): string {
  const seconds = Math.max(1, Math.round(behindMs / 1000));
  return `Captions are ${seconds} s behind`;
}

/**
 * How long a `lag` report stays on screen. The engine repeats it about every second while it is
 * behind and says nothing once it has caught up, so the indicator fades when the reports stop.
 */
export const lagShownMs = 3000;

export const lagVisible = (lag: { at: number } | null, now: number): boolean =>
  lag !== null && now - lag.at < lagShownMs;
