/**
 * Seeded random Whisper results for property tests: every way the tokens can be awkward at
 * once (sub-word pieces, punctuation, quotes, control tokens, characters split over tokens,
 * kana, null times, times that run backwards, overlap or leave their segment).
 */
import type { TranscribeResult, WhisperSegment, WhisperToken } from '../../whisper/addon';
import { result, special } from './whisper-result';

/** mulberry32: a small, fast, seedable PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

const stems = [
  'and',
  'so',
  'my',
  'fellow',
  'Ameri',
  'ask',
  'thank',
  'you',
  'count',
  'café',
  'naïve',
];
const tails = ['cans', 'ry', 'ing', 's', 'ed', "'s", "n't"];
const punctuation = [',', '.', '?', '!', ';', ':', '."', ')', '…'];
const openers = [' "', ' (', ' ¿', " '"];
const kana = ['こん', 'にち', 'は', '、', '世界', '。', 'です'];

export interface RandomResultOptions {
  /** Time mode for the whole result. */
  times: 'ordered' | 'messy' | 'none' | 'mixed';
  /** Let words split a UTF-8 character over tokens ('' first piece) or as U+FFFD pieces. */
  splitCharacters: boolean;
  /** Segments whose times overlap their neighbours or run past the end. */
  messySegments: boolean;
}

export function randomResult(
  rng: Rng,
  options: RandomResultOptions,
): { result: TranscribeResult; durationMs: number } {
  const durationMs = int(rng, 0, 4) === 0 ? int(rng, 0, 500) : int(rng, 1000, 60_000);
  const count = int(rng, 0, 8);
  const segments: WhisperSegment[] = [];
  let clock = int(rng, 0, 500);
  for (let s = 0; s < count; s++) {
    const length = int(rng, 0, 6000);
    let t0 = clock;
    let t1 = clock + length;
    if (options.messySegments && rng() < 0.3) {
      t0 -= int(rng, 0, 2000);
      t1 += int(rng, 0, 3000);
    }
    segments.push(randomSegment(rng, options, t0, t1));
    clock += length + int(rng, 0, 1500);
  }
  return { result: result(segments, pick(rng, ['en', 'ja', null])), durationMs };
}

function randomSegment(
  rng: Rng,
  options: RandomResultOptions,
  t0: number,
  t1: number,
): WhisperSegment {
  const texts: string[] = [];
  const words = int(rng, 0, 14);
  for (let w = 0; w < words; w++) {
    const roll = rng();
    if (roll < 0.08) texts.push(pick(rng, openers));
    if (roll < 0.15) {
      texts.push(...(w === 0 ? [pick(rng, kana)] : []), pick(rng, kana), pick(rng, kana));
      continue;
    }
    texts.push(` ${pick(rng, stems)}`);
    if (rng() < 0.3) texts.push(pick(rng, tails));
    if (rng() < 0.25) texts.push(pick(rng, punctuation));
    if (rng() < 0.05) texts.push(' ?');
  }
  if (rng() < 0.05) texts.push(' [BLANK_AUDIO]');
  const pieces = options.splitCharacters ? texts.flatMap((t) => splitCharacter(rng, t)) : texts;
  const segmentText = texts.join('');

  const tokens: WhisperToken[] = [special('[_BEG_]', t0)];
  let clock = t0 + int(rng, 0, 300);
  const span = Math.max(1, t1 - t0);
  for (const text of pieces) {
    if (rng() < 0.05) tokens.push(special(`[_TT_${int(rng, 0, 1500)}]`, clock));
    const length = int(rng, 0, Math.ceil(span / Math.max(1, pieces.length)) + 50);
    let start: number | null = clock;
    let end: number | null = clock + length;
    if (options.times === 'messy' && rng() < 0.4) {
      start += int(rng, -800, 800);
      end = rng() < 0.2 ? start - int(rng, 0, 100) : end + int(rng, -500, 500);
    }
    if (options.times === 'none' || (options.times === 'mixed' && rng() < 0.3)) {
      start = null;
      end = null;
    }
    tokens.push({
      id: int(rng, 0, 50_000),
      text,
      p: rng() < 0.02 ? 0 : rng(),
      plog: 0,
      t0: start,
      t1: end,
      tDtw: null,
      special: false,
    });
    clock += length;
  }
  tokens.push(special('<|endoftext|>', t1));
  return { index: 0, t0, t1, text: segmentText, noSpeechProb: rng(), tokens };
}

/** Splits a non-ASCII character off a token the two ways it reaches us. */
function splitCharacter(rng: Rng, text: string): string[] {
  const at = [...text].findIndex((c) => c.charCodeAt(0) > 0x7f);
  if (at < 0 || rng() < 0.5) return [text];
  const chars = [...text];
  const before = chars.slice(0, at).join('');
  const character = chars[at]!;
  const after = chars.slice(at + 1).join('');
  return rng() < 0.5
    ? // The addon's way: the first bytes carried to the token that completes the character.
      [before, '', character + after].filter((t, i) => t !== '' || i === 1)
    : // Decoded per token: each part of the character became U+FFFD.
      [before, '\uFFFD', '\uFFFD' + after].filter((t) => t !== '');
}
