/**
 * How caption text is measured. A "character" is a user-perceived character (grapheme cluster),
 * so "é" written as e + combining accent, or an emoji with modifiers, counts once, as a reader
 * sees it. Words on a line are separated by one space, which counts.
 */
import type { Word } from '../../contract/document';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Number of grapheme clusters in `text`. */
export function textLength(text: string): number {
  // ASCII fast path: one byte, one grapheme (except CR LF, which caption words never contain).
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.length;
  return [...graphemes.segment(text)].length;
}

/** The words of a line or caption as shown: texts joined by single spaces. */
export function wordsText(words: readonly Word[]): string {
  return words.map((w) => w.text).join(' ');
}

/** Characters of `words` shown on one line: their lengths plus one space between neighbours. */
export function wordsLength(words: readonly Word[]): number {
  let total = words.length > 0 ? words.length - 1 : 0;
  for (const w of words) total += textLength(w.text);
  return total;
}
