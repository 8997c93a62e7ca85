/**
 * Text normalisation for word and character error rates, so that a transcript is not charged
 * for writing "10" where the reference says "ten", or "Mr." for "mister".
 *
 * `normalizeForWer(text)` applies, in this order:
 *  1. Unicode NFKC, then lowercase (locale-independent `toLowerCase`). Accents are KEPT: "é" and
 *     "e" differ, which matters for French or German.
 *  2. Typographic apostrophes (’ ‘ ʼ ′ ` ´) become ', and every dash (‐ ‑ ‒ – — ― −) becomes -.
 *  3. Symbols spoken as words: "&" → "and", "%" → "percent".
 *  4. Numbers, in ONE direction: digits become English words, never the reverse.
 *     - thousands separators between digits go ("1,000" → "1000");
 *     - a decimal point between digits is spoken ("3.5" → "3 point 5");
 *     - whole numbers 0–99 without a leading zero become words ("42" → "forty two", "0" → "zero");
 *     - ordinals 1st–99th become words ("21st" → "twenty first", "12th" → "twelfth");
 *     - larger numbers stay digits ("1776", "100"): their spoken forms vary too much ("one
 *       hundred and five", "a hundred five") to pick one, so they only match the same digits.
 *     Spelled-out numbers are not touched, so "twenty-one" and "21" both end as "twenty one".
 *  5. Compound words are split: a hyphen (or any dash) becomes a space, so "well-known" matches
 *     "well known". Closed compounds ("notebook" vs "note book") are NOT unified.
 *  6. Punctuation and symbols are removed (they become spaces); an apostrophe is kept only inside
 *     a word, between two letters or digits ("don't", "o'clock"; "'tis" → "tis", "dogs'" → "dogs").
 *  7. Titles are spelled out: "mr" → "mister", "mrs" → "missus", "dr" → "doctor" (the LibriSpeech
 *     and LibriVox references spell them out).
 *  8. Hesitation fillers are REMOVED when `removeFillers` is on (the default): uh, um, umm, uhm,
 *     er, erm, ah, hm, hmm, mm, mmm, mhm. Whisper leaves most of them out while a verbatim reference
 *     may keep them; neither side is then charged for them.
 *  9. Whitespace is collapsed to single spaces and trimmed.
 *
 * Not handled (each still counts as an error): British vs American spelling, contractions vs
 * full forms ("don't" vs "do not"), abbreviations other than the three titles, numbers above 99,
 * number words in other languages.
 */

export interface NormalizeOptions {
  /**
   * Drop hesitation fillers (uh, um, er, hmm, …).
   * @default true
   */
  removeFillers?: boolean;
}

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const IRREGULAR_ORDINALS: Record<string, string> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};
const TITLES: Record<string, string> = { mr: 'mister', mrs: 'missus', dr: 'doctor' };
const FILLERS = new Set([
  'uh',
  'um',
  'umm',
  'uhm',
  'er',
  'erm',
  'ah',
  'hm',
  'hmm',
  'mm',
  'mmm',
  'mhm',
]);

/** English words for 0–99: 7 → "seven", 42 → "forty two". */
export function spellCardinal(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) {
    throw new RangeError(`spellCardinal covers 0–99, not ${n}`);
  }
  if (n < 20) return ONES[n] as string;
  const unit = n % 10;
  const tens = TENS[Math.floor(n / 10)] as string;
  return unit === 0 ? tens : `${tens} ${ONES[unit] as string}`;
}

/** English ordinal words for 1–99: 1 → "first", 21 → "twenty first", 40 → "fortieth". */
export function spellOrdinal(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) {
    throw new RangeError(`spellOrdinal covers 1–99, not ${n}`);
  }
  const words = spellCardinal(n).split(' ');
  const last = words.pop() as string;
  const ordinal =
    IRREGULAR_ORDINALS[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  return [...words, ordinal].join(' ');
}

/** Normalises `text` for WER/CER as described at the top of this file. */
export function normalizeForWer(text: string, options: NormalizeOptions = {}): string {
  const { removeFillers = true } = options;
  let s = text.normalize('NFKC').toLowerCase();
  s = s.replace(/[’‘ʼ′`´]/gu, "'").replace(/[‐‑‒–—―−]/gu, '-');
  s = s.replace(/&/gu, ' and ').replace(/%/gu, ' percent ');
  s = s.replace(/(?<=\d),(?=\d{3}(?!\d))/gu, '');
  s = s.replace(/(?<=\d)\.(?=\d)/gu, ' point ');
  s = s.replace(
    /(?<![\p{L}\p{N}])(0|[1-9]\d?)(st|nd|rd|th)?(?![\p{L}\p{N}])/gu,
    (_m, digits: string, suffix: string | undefined) => {
      const n = Number(digits);
      return ` ${suffix && n > 0 ? spellOrdinal(n) : spellCardinal(n)} `;
    },
  );
  // Everything that is not a letter, digit or apostrophe (hyphens included) separates words;
  // then an apostrophe survives only between two letters or digits.
  s = s.replace(/[^\p{L}\p{N}\p{M}']+/gu, ' ');
  s = s.replace(/'(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])'/gu, ' ');
  const words = s
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => TITLES[w] ?? w)
    .filter((w) => !(removeFillers && FILLERS.has(w)));
  return words.join(' ');
}

/** The words of `text` after `normalizeForWer`. */
export function normalizedWords(text: string, options: NormalizeOptions = {}): string[] {
  const normalized = normalizeForWer(text, options);
  return normalized === '' ? [] : normalized.split(' ');
}
