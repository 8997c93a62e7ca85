/**
 * The text-bearing tokens of one Whisper segment, cleaned for word building: control tokens
 * dropped, probabilities and times made safe, and characters that byte-level BPE split over
 * several tokens put back together.
 */
import type { WhisperSegment, WhisperToken } from '../whisper/addon';

/** One spoken token: its text (possibly '' for the first bytes of a split character). */
export interface TokenPiece {
  text: string;
  /** Probability, 0..1. */
  p: number;
  /** Start in integer ms, or null when unknown. */
  t0: number | null;
  /** End in integer ms, or null when unknown. */
  t1: number | null;
}

const REPLACEMENT = '\uFFFD';

/**
 * whisper.cpp's control tokens by their text ([_BEG_], [_TT_150], [_extra_token_3], <|endoftext|>),
 * caught even when a token arrives without `special` set.
 */
const controlText = /^(?:\[_[A-Za-z]+(?:_[A-Za-z0-9]*)*\]|<\|[^|]*\|>)$/;

export function isControlToken(token: Pick<WhisperToken, 'special' | 'text'>): boolean {
  return token.special || controlText.test(token.text);
}

/**
 * The spoken tokens of `segment` in order. Where token texts hold U+FFFD (a UTF-8 character split
 * over tokens and decoded per token), the damaged run is re-read from the segment text, which
 * whisper.cpp decodes whole: the run's last token gets the recovered text and the others ''.
 * If the tokens do not line up with the segment text, the damaged texts are kept as they are.
 */
export function tokenPieces(segment: Pick<WhisperSegment, 'text' | 'tokens'>): TokenPiece[] {
  const tokens = segment.tokens.filter((token) => !isControlToken(token));
  const texts = tokens.map((token) => token.text);
  const repaired = texts.some((text) => text.includes(REPLACEMENT))
    ? (rejoinSplitCharacters(texts, segment.text) ?? texts)
    : texts;
  return tokens.map((token, i) => ({
    text: repaired[i] ?? token.text,
    p: probability(token),
    t0: time(token.t0),
    t1: time(token.t1),
  }));
}

/**
 * Re-reads damaged token texts from the segment text. Each U+FFFD stands for one or more bytes
 * of a non-ASCII character, and each such character yields at least one U+FFFD, so a gap of k
 * consecutive U+FFFD (within a token or across tokens) holds 1 to k non-ASCII characters. The
 * gap lengths are chosen so that all clean text lines up with the segment text (a memoised
 * search, shortest gaps first; at most parts × text length states), and each gap's text goes
 * to its last token, the one that completes the characters, as the addon does. Returns
 * undefined when no choice lines up.
 */
export function rejoinSplitCharacters(texts: string[], segmentText: string): string[] | undefined {
  const parts = texts.flatMap((text, token) =>
    text
      .split(/(\uFFFD+)/u)
      .filter((part) => part !== '')
      .map((part) => ({ token, gap: part.startsWith(REPLACEMENT), text: part })),
  );
  const taken: string[] = parts.map(() => '');
  const failed = new Set<number>();

  const align = (p: number, at: number): boolean => {
    if (p === parts.length) return at === segmentText.length;
    const state = p * (segmentText.length + 1) + at;
    if (failed.has(state)) return false;
    const part = parts[p]!;
    if (!part.gap) {
      if (segmentText.startsWith(part.text, at) && align(p + 1, at + part.text.length)) {
        taken[p] = part.text;
        return true;
      }
    } else {
      let end = p;
      let replacements = 0;
      for (; end < parts.length && parts[end]!.gap; end++) replacements += parts[end]!.text.length;
      let until = at;
      for (let chars = 1; chars <= replacements; chars++) {
        const code = segmentText.codePointAt(until);
        if (code === undefined || code < 0x80) break;
        until += code > 0xffff ? 2 : 1;
        if (align(end, until)) {
          taken[end - 1] = segmentText.slice(at, until);
          return true;
        }
      }
    }
    failed.add(state);
    return false;
  };

  if (!align(0, 0)) return undefined;
  const out = texts.map(() => '');
  parts.forEach((part, p) => {
    out[part.token] = `${out[part.token] ?? ''}${taken[p] ?? ''}`;
  });
  return out;
}

function probability(token: Pick<WhisperToken, 'p' | 'plog'>): number {
  if (Number.isFinite(token.p)) return Math.min(1, Math.max(0, token.p));
  if (Number.isFinite(token.plog)) return Math.min(1, Math.exp(token.plog));
  return 0;
}

function time(ms: number | null): number | null {
  return ms !== null && Number.isFinite(ms) && ms >= 0 ? Math.round(ms) : null;
}
