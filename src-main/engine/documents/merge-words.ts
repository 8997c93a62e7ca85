/**
 * Whisper's BPE tokens → words. A token whose text starts with a space begins a new word; one
 * without continues the word before it (sub-word pieces, attached punctuation such as "," or
 * "'s"). Opening punctuation (quotes, brackets, ¿ ¡) leans on the word after it; closing
 * punctuation written after a space (French " ?", " »") stays with the word before it, joined by
 * a no-break space so the spacing survives. Tokens with no visible text (the first bytes of a
 * character split over tokens, a bare space) belong to the word their following text joins.
 *
 * Scripts written without spaces (Chinese, Japanese, Thai, …) have no word boundaries in the
 * tokens; their words are phrases that end at clause punctuation ("こんにちは、" "世界。"),
 * because the document has no way to join words without a space (see the report on the contract).
 */
import {
  endsClause,
  hasNoSpaceScript,
  isClosingPunctuation,
  isOpeningPunctuation,
  startsWithNoSpaceScript,
} from './punctuation';
import type { TokenPiece } from './token-pieces';

/** A word before it has times, ids and a place in the document. */
export interface DraftWord {
  /** The word as shown, without surrounding spaces; never empty. */
  text: string;
  /** The tokens the word is made of, in order. */
  pieces: TokenPiece[];
}

const NO_BREAK_SPACE = '\u00A0';

interface OpenWord extends DraftWord {
  /** Holds only opening punctuation so far: whatever comes next joins it. */
  openingOnly: boolean;
}

export function mergeWords(pieces: readonly TokenPiece[]): DraftWord[] {
  const words: OpenWord[] = [];
  let current: OpenWord | undefined;
  let waiting: TokenPiece[] = [];
  let spaceBefore = false;

  for (const piece of pieces) {
    let placed = false;
    for (const chunk of piece.text.split(/(\s+)/u)) {
      if (chunk === '') continue;
      if (/^\s+$/u.test(chunk)) {
        spaceBefore = true;
        continue;
      }
      if (!current || startsNewWord(current, chunk, spaceBefore)) {
        current = { text: chunk, pieces: [], openingOnly: isOpeningPunctuation(chunk) };
        words.push(current);
      } else {
        const glue = spaceBefore && !current.openingOnly ? NO_BREAK_SPACE : '';
        current.text += glue + chunk;
        current.openingOnly &&= isOpeningPunctuation(chunk);
      }
      current.pieces.push(...waiting);
      waiting = [];
      if (current.pieces.at(-1) !== piece) current.pieces.push(piece);
      placed = true;
      spaceBefore = false;
    }
    if (!placed) waiting.push(piece);
  }
  if (current) current.pieces.push(...waiting);
  return words.map(({ text, pieces: own }) => ({ text, pieces: own }));
}

function startsNewWord(current: OpenWord, chunk: string, spaceBefore: boolean): boolean {
  if (current.openingOnly) return false;
  if (spaceBefore) return !isClosingPunctuation(chunk);
  // No space: a sub-word piece or attached punctuation, except where a phrase in a script
  // without spaces has ended at clause punctuation and the next one begins.
  return (
    startsWithNoSpaceScript(chunk) && endsClause(current.text) && hasNoSpaceScript(current.text)
  );
}
