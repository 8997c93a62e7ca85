/**
 * Counting target words and phrases ("um", "New York", a brand) in a transcript document.
 *
 * Matching is case-insensitive and by whole words: word texts are split at spaces and stripped
 * of surrounding punctuation ("York," → "york"), and a target's words must follow one another,
 * across line and segment boundaries (the caption wrapper may split anywhere). Matches do not
 * overlap ("ha ha" occurs once in "ha ha ha"). A target in a script written without spaces
 * (Japanese, Chinese, …) is counted as text inside the words instead, since there are no word
 * boundaries to hold it to.
 */
import type { TranscriptDocument } from '../../contract/document';
import { hasNoSpaceScript } from '../documents/punctuation';

export function countTargets(
  doc: TranscriptDocument,
  targets: readonly string[],
): Record<string, number> {
  const texts = doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words.map((w) => w.text)));
  return countTargetsInTexts(texts, targets);
}

/** `countTargets` over a run of word texts (one speaker's turn, say). */
export function countTargetsInTexts(
  texts: readonly string[],
  targets: readonly string[],
): Record<string, number> {
  const words = texts.flatMap(wordKeys);
  const joined = texts.join('').replace(/\s+/gu, '').toLowerCase();
  const counts: Record<string, number> = {};
  for (const raw of targets) {
    const target = raw.trim();
    if (target === '') continue;
    counts[target] = hasNoSpaceScript(target)
      ? countText(joined, target.replace(/\s+/gu, '').toLowerCase())
      : countWords(words, wordKeys(target));
  }
  return counts;
}

/** The document with `targetCounts` set to the counts of `targets`. Pure. */
export function withTargetCounts(
  doc: TranscriptDocument,
  targets: readonly string[],
): TranscriptDocument {
  return { ...doc, targetCounts: countTargets(doc, targets) };
}

/** A text's words in comparable form: split at spaces, outer punctuation gone, lower case. */
function wordKeys(text: string): string[] {
  return text
    .split(/\s+/u)
    .map((part) => part.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, '').toLowerCase())
    .filter((part) => part !== '');
}

function countWords(words: readonly string[], target: readonly string[]): number {
  if (target.length === 0) return 0;
  let count = 0;
  for (let i = 0; i + target.length <= words.length;) {
    if (target.every((part, k) => words[i + k] === part)) {
      count++;
      i += target.length;
    } else {
      i++;
    }
  }
  return count;
}

function countText(text: string, target: string): number {
  if (target === '') return 0;
  let count = 0;
  for (let at = text.indexOf(target); at >= 0; at = text.indexOf(target, at + target.length)) {
    count++;
  }
  return count;
}
