import { describe, expect, it } from 'vitest';
import type { TokenPiece } from './token-pieces';
import { wordConfidence } from './word-confidence';

const piece = (text: string, p: number): TokenPiece => ({ text, p, t0: null, t1: null });

describe('wordConfidence', () => {
  it('is the geometric mean of the token probabilities', () => {
    expect(wordConfidence([piece(' Ameri', 0.5), piece('cans', 0.98)])).toBe(0.7);
    expect(wordConfidence([piece(' so', 0.93)])).toBe(0.93);
  });

  it('is pulled down harder by one doubtful piece than an arithmetic mean would be', () => {
    const pieces = [piece(' Kub', 0.99), piece('ern', 0.01), piece('etes', 0.99)];
    expect(wordConfidence(pieces)).toBeLessThan((0.99 + 0.01 + 0.99) / 3);
    expect(wordConfidence(pieces)).toBeGreaterThan(0.01);
  });

  it('leaves attached punctuation out unless the word is only punctuation', () => {
    expect(wordConfidence([piece(' you', 0.9), piece(',', 0.2)])).toBe(0.9);
    expect(wordConfidence([piece(' -', 0.4)])).toBe(0.4);
  });

  it('counts the text-less bytes of a split character', () => {
    expect(wordConfidence([piece(' caf', 1), piece('', 0.25), piece('é', 1)])).toBe(0.63);
  });

  it('is 0 when a token has probability 0 or there are no tokens', () => {
    expect(wordConfidence([piece(' a', 0), piece('b', 1)])).toBe(0);
    expect(wordConfidence([])).toBe(0);
  });
});
