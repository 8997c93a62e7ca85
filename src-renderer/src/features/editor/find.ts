/**
 * Find and replace over the words of a transcript. A match lies within one word's text (words
 * are the unit the editor times and flags); the replacement goes through `setWordText`, so an
 * empty result deletes the word and one with spaces becomes several words.
 */
import type { TranscriptDocument } from '../../../../src-main/contract/document';
import { setWordText } from './doc-ops';

export interface FindOptions {
  query: string;
  /** @default false */
  caseSensitive?: boolean;
  /** Only whole words: "art" does not match in "party". @default false */
  wholeWord?: boolean;
}

export interface Match {
  wordId: string;
  segmentIndex: number;
  /** Offset of the match in the word's text, in UTF-16 units. */
  index: number;
  length: number;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wordChar = '[\\p{L}\\p{N}\\p{M}_]';

/** The regular expression for a search, or undefined when there is nothing to find. */
export function findPattern(options: FindOptions): RegExp | undefined {
  const query = options.query.trim();
  if (query === '') return undefined;
  const body = escape(query);
  // Whole words: no letter on either side, an apostrophe inside a word ("don't") counting as one.
  const source = options.wholeWord ? `(?<!${wordChar}['’]?)${body}(?!['’]?${wordChar})` : body;
  return new RegExp(source, options.caseSensitive ? 'gu' : 'giu');
}

/** Every match in document order. */
export function findMatches(doc: TranscriptDocument, options: FindOptions): Match[] {
  const pattern = findPattern(options);
  if (!pattern) return [];
  const matches: Match[] = [];
  doc.segments.forEach((segment, segmentIndex) => {
    for (const line of segment.lines) {
      for (const word of line.words) {
        for (const found of word.text.matchAll(pattern)) {
          if (found[0] === '') continue;
          matches.push({
            wordId: word.id,
            segmentIndex,
            index: found.index,
            length: found[0].length,
          });
        }
      }
    }
  });
  return matches;
}

/** Replaces one match (found by `findMatches` on this same document). */
export function replaceMatch(
  doc: TranscriptDocument,
  match: Match,
  replacement: string,
): TranscriptDocument {
  const segment = doc.segments[match.segmentIndex];
  const word = segment?.lines.flatMap((l) => l.words).find((w) => w.id === match.wordId);
  if (!word) return doc;
  const text =
    word.text.slice(0, match.index) + replacement + word.text.slice(match.index + match.length);
  return setWordText(doc, word.id, text);
}

/** Replaces every match; returns the new document and how many were replaced. */
export function replaceAll(
  doc: TranscriptDocument,
  options: FindOptions,
  replacement: string,
): { doc: TranscriptDocument; count: number } {
  const pattern = findPattern(options);
  if (!pattern) return { doc, count: 0 };
  const matches = findMatches(doc, options);
  const wordIds = new Set(matches.map((m) => m.wordId));
  let result = doc;
  const texts = new Map<string, string>();
  for (const segment of doc.segments) {
    for (const line of segment.lines) {
      for (const word of line.words) {
        if (wordIds.has(word.id))
          texts.set(
            word.id,
            word.text.replace(pattern, () => replacement),
          );
      }
    }
  }
  for (const [wordId, text] of texts) result = setWordText(result, wordId, text);
  return { doc: result, count: matches.length };
}
