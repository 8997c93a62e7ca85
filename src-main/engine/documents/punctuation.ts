/**
 * Character classes the word builder and the text tools share: which punctuation leans on the
 * word before it, which on the word after it, and which scripts are written without spaces.
 */

/** Punctuation that closes or ends something and so belongs to the word before it. */
const closing = /^[\p{Pe}\p{Pf},.!?;:…‥、。！？，：；%‰]+$/u;

/**
 * Punctuation that opens something and so belongs to the word after it. ASCII quotes are
 * ambiguous; they count as opening only where this is asked, i.e. after a space.
 */
const opening = /^[\p{Ps}\p{Pi}¿¡"']+$/u;

/** Any punctuation at all (for confidence and matching, not for attaching). */
const punctuationOnly = /^[\p{P}]+$/u;

/** Scripts written without spaces between words. */
const noSpaceScript =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;

/** Punctuation that ends a clause in any script: where a no-space-script phrase may end. */
const clauseEnd = /[、。！？，；：,.!?;:…]$/u;

export function isClosingPunctuation(text: string): boolean {
  return closing.test(text);
}

export function isOpeningPunctuation(text: string): boolean {
  return opening.test(text);
}

export function isPunctuationOnly(text: string): boolean {
  return punctuationOnly.test(text);
}

/** True when `text` contains a letter of a script written without spaces (Han, kana, Thai, …). */
export function hasNoSpaceScript(text: string): boolean {
  return noSpaceScript.test(text);
}

/** True when `text` starts with a letter of a script written without spaces. */
export function startsWithNoSpaceScript(text: string): boolean {
  const first = String.fromCodePoint(text.codePointAt(0) ?? 0x20);
  return noSpaceScript.test(first);
}

export function endsClause(text: string): boolean {
  return clauseEnd.test(text);
}
