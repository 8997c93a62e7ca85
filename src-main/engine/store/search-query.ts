/**
 * Turns what a person types into an FTS5 MATCH expression that can never be a syntax error, and
 * reads matched ranges back out of FTS5's `highlight()`. Pure functions, no database.
 */

/**
 * Words and "quoted phrases" from free text, as an FTS5 expression of quoted strings (implicitly
 * AND-ed). Operators, column filters, `*`, `NEAR(` and the like lose their meaning: everything
 * ends up inside double quotes, which FTS5 tokenizes exactly like the indexed text. The last
 * unquoted word matches as a prefix, so "Amer" finds "Americans" while it is being typed.
 * An unclosed quote runs to the end. Returns null when nothing searchable is left.
 */
export function toMatchExpression(input: string): string | null {
  // NUL ends a string inside the FTS5 parser (a syntax error); other controls are noise.
  const parts = input
    .normalize('NFC')
    .replace(/\p{Cc}/gu, ' ')
    .split('"');
  const items: { text: string; phrase: boolean }[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      const phrase = part.trim().replace(/\s+/g, ' ');
      if (phrase) items.push({ text: phrase, phrase: true });
    } else {
      for (const word of part.split(/\s+/)) if (word) items.push({ text: word, phrase: false });
    }
  });
  if (items.length === 0) return null;
  // No item contains a double quote (they were the split points), so none needs escaping.
  return items
    .map((item, i) => `"${item.text}"${!item.phrase && i === items.length - 1 ? '*' : ''}`)
    .join(' ');
}

/** Marker characters passed to `highlight()`; control characters never found in speech text. */
export const highlightOpen = '\u0002';
export const highlightClose = '\u0003';

/**
 * `[start, end)` ranges (UTF-16 offsets, as JavaScript string indices) of the matches that
 * `highlight()` marked in `text`. If the text itself contains a marker character the marks are
 * ambiguous, and no ranges are reported rather than wrong ones.
 */
export function highlightRanges(text: string, marked: string): [number, number][] {
  const ranges: [number, number][] = [];
  let plain = '';
  let start = -1;
  for (const char of marked) {
    if (char === highlightOpen) start = plain.length;
    else if (char === highlightClose) {
      if (start >= 0 && plain.length > start) ranges.push([start, plain.length]);
      start = -1;
    } else plain += char;
  }
  return plain === text ? ranges : [];
}
