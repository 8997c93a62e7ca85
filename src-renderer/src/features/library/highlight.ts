/** A piece of a snippet: plain text, or a match to wrap in `<mark>`. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/**
 * Cuts `text` at the `[start, end)` highlight ranges (UTF-16 offsets, as the search API sends
 * them) so a component can render matches as `<mark>` elements — never as HTML. Ranges may come
 * unsorted, overlapping or out of bounds: they are clamped, sorted and merged; empty ones vanish.
 */
export function splitHighlights(
  text: string,
  ranges: ReadonlyArray<readonly [number, number]>,
): SnippetPart[] {
  const clamp = (n: number) => Math.min(Math.max(0, n), text.length);
  const sorted = ranges
    .map(([start, end]) => [clamp(start), clamp(end)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  const parts: SnippetPart[] = [];
  let at = 0;
  for (const [start, end] of merged) {
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}
