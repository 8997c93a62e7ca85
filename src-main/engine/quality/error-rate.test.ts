import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import { alignTokens, cer, combineErrorRates, errorRate, wer } from './error-rate';

describe('wer', () => {
  it('counts one insertion: "the cat sat" → "the cat sat down" is 1/3', () => {
    expect(wer('the cat sat', 'the cat sat down')).toEqual({
      rate: 1 / 3,
      substitutions: 0,
      deletions: 0,
      insertions: 1,
      referenceLength: 3,
    });
  });

  it('counts one deletion and one substitution', () => {
    // the cat sat on the mat → the bat sat on mat: cat→bat (S), "the" before mat deleted (D).
    expect(wer('the cat sat on the mat', 'the bat sat on mat')).toEqual({
      rate: 2 / 6,
      substitutions: 1,
      deletions: 1,
      insertions: 0,
      referenceLength: 6,
    });
  });

  it('is 0 for identical text and 1 for an empty hypothesis', () => {
    expect(wer('a b c', 'a b c').rate).toBe(0);
    expect(wer('a b c', '')).toMatchObject({ rate: 1, deletions: 3 });
  });

  it('can exceed 1 when the hypothesis is much longer', () => {
    expect(wer('yes', 'no no no')).toMatchObject({ rate: 3, substitutions: 1, insertions: 2 });
  });

  it('handles an empty reference: 0 for an empty hypothesis, else Infinity', () => {
    expect(wer('', '')).toEqual({
      rate: 0,
      substitutions: 0,
      deletions: 0,
      insertions: 0,
      referenceLength: 0,
    });
    expect(wer('', 'hello there')).toMatchObject({ rate: Infinity, insertions: 2 });
    // Only punctuation and fillers: nothing to score after normalisation.
    expect(wer('…', 'um').rate).toBe(0);
  });

  it('normalises both sides by default, and not with normalize: false', () => {
    expect(wer('go forward ten meters', 'Go forward 10 meters.').rate).toBe(0);
    expect(wer('go forward ten meters', 'Go forward 10 meters.', { normalize: false })).toEqual({
      rate: 3 / 4,
      substitutions: 3,
      deletions: 0,
      insertions: 0,
      referenceLength: 4,
    });
  });

  it('scores the JFK reference against a typical Whisper output at 0', () => {
    expect(
      wer(
        'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.',
        ' And so, my fellow Americans, ask not what your country can do for you; ask what you can do for your country.',
      ).rate,
    ).toBe(0);
  });
});

describe('cer', () => {
  it('counts characters, spaces included', () => {
    // "cat" → "cut": one substitution over 3 characters.
    expect(cer('cat', 'cut')).toEqual({
      rate: 1 / 3,
      substitutions: 1,
      deletions: 0,
      insertions: 0,
      referenceLength: 3,
    });
    // "a cat" (5 chars) → "acat": the space is deleted.
    expect(cer('a cat', 'acat')).toMatchObject({ deletions: 1, referenceLength: 5, rate: 1 / 5 });
  });

  it('counts code points, not UTF-16 units', () => {
    expect(cer('été', 'ete')).toMatchObject({ substitutions: 2, referenceLength: 3 });
    expect(cer('a😀b', 'ab', { normalize: false })).toMatchObject({
      deletions: 1,
      referenceLength: 3,
    });
  });

  it('normalises first: case and punctuation are free', () => {
    expect(cer('Hello, World!', 'hello world').rate).toBe(0);
  });
});

describe('alignTokens', () => {
  it('returns the operations in order', () => {
    expect(alignTokens(['a', 'b', 'c'], ['a', 'x', 'c', 'd'])).toEqual([
      { op: 'match', ref: 0, hyp: 0 },
      { op: 'substitute', ref: 1, hyp: 1 },
      { op: 'match', ref: 2, hyp: 2 },
      { op: 'insert', hyp: 3 },
    ]);
    expect(alignTokens([], [])).toEqual([]);
    expect(alignTokens(['a'], [])).toEqual([{ op: 'delete', ref: 0 }]);
  });

  it('prefers a substitution over a deletion plus an insertion', () => {
    expect(errorRate(['a', 'b'], ['x'])).toMatchObject({
      substitutions: 1,
      deletions: 1,
      insertions: 0,
    });
  });

  it('refuses inputs too large to align in memory', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => i);
    expect(() => alignTokens(big, big)).toThrow(/too long to align/);
    try {
      alignTokens(big, big);
    } catch (error) {
      expect(isEngineError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('combineErrorRates', () => {
  it('sums counts and divides by the summed reference length', () => {
    const total = combineErrorRates([wer('a b c d', 'a b c'), wer('e f', 'e g')]);
    expect(total).toEqual({
      rate: 2 / 6,
      substitutions: 1,
      deletions: 1,
      insertions: 0,
      referenceLength: 6,
    });
    expect(combineErrorRates([]).rate).toBe(0);
  });
});
