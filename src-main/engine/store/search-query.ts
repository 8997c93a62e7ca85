/**
 * Turns what a person types into an FTS5 MATCH expression that can never be a syntax error, and
 * reads matched ranges back out of FTS5's `highlight()`. Pure functions, no database.
 */

/**
 * Characters that are not part of a token for the index's tokenizer (migration 0004: unicode61
 * with categories `L* N* Co M*`), so `x:y` is the tokens `x` and `y`.
 */
const separators = /[^\p{L}\p{N}\p{Co}\p{M}]+/u;

/** The tokens of `text` as the index's tokenizer splits it (before folding case and accents). */
const tokensOf = (text: string): string[] => text.split(separators).filter(Boolean);

/** A search as FTS5 is asked it. */
export interface MatchQuery {
  /** The whole search as one MATCH expression. */
  expression: string;
  /**
   * Each distinct token of the search as a MATCH expression of its own (the prefix token with its
   * `*`), to find out how common each is.
   */
  tokens: string[];
}

/**
 * Words and "quoted phrases" from free text, as an FTS5 expression of quoted strings (implicitly
 * AND-ed). Operators, column filters, `*`, `NEAR(` and the like lose their meaning: everything
 * ends up inside double quotes, which FTS5 tokenizes exactly like the indexed text. The last
 * unquoted word matches as a prefix, so "Amer" finds "Americans" while it is being typed, once
 * its last token has two characters: a one-letter prefix matches a large share of all words, and
 * the index (migration 0004: `prefix = '2 3'`) has nothing to answer it quickly with, so "a" finds
 * the word "a" until the next letter is typed. An unclosed quote runs to the end. Returns null
 * when nothing searchable is left.
 */
export function toMatchQuery(input: string): MatchQuery | null {
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
  const tokens = new Set<string>();
  // No item contains a double quote (they were the split points), so none needs escaping.
  const expression = items
    .map((item, i) => {
      const words = tokensOf(item.text);
      const prefix =
        !item.phrase && i === items.length - 1 && [...(words.at(-1) ?? '')].length >= 2;
      words.forEach((word, k) =>
        tokens.add(`"${word}"${prefix && k === words.length - 1 ? '*' : ''}`),
      );
      return `"${item.text}"${prefix ? '*' : ''}`;
    })
    .join(' ');
  return { expression, tokens: [...tokens] };
}

/** `toMatchQuery(input).expression`. */
export const toMatchExpression = (input: string): string | null =>
  toMatchQuery(input)?.expression ?? null;

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
