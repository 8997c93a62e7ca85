import { describe, expect, it } from 'vitest';
import { findExtraRepeats, repetitionKey } from './repetition';

const keys = (text: string) => text.split(' ').map(repetitionKey);

describe('repetitionKey', () => {
  it('ignores case and punctuation', () => {
    expect(repetitionKey('Thank')).toBe(repetitionKey('thank,'));
    expect(repetitionKey('"You."')).toBe('you');
    expect(repetitionKey('♪')).toBe('♪');
    expect(repetitionKey('-')).toBe('-');
  });
});

describe('findExtraRepeats', () => {
  it('finds the copies of a bigram loop beyond the allowed ones', () => {
    const loop = keys(`So ${'thank you '.repeat(12)}bye`.trim());
    // 12 copies of "thank you" at 1..24; 3 are allowed, so 7..24 are extra.
    expect(findExtraRepeats(loop, 8, 3)).toEqual(Array.from({ length: 18 }, (_, i) => 7 + i));
  });

  it('allows up to maxRepeats back-to-back copies', () => {
    expect(findExtraRepeats(keys('no no no'), 8, 3)).toEqual([]);
    expect(findExtraRepeats(keys('no no no no'), 8, 3)).toEqual([3]);
  });

  it('prefers the n-gram that covers most words, the shortest on a tie', () => {
    // "a b a b a b a b": as "a b" × 4 (8 words) beats "a" alone; "a b a b" × 2 ties but is longer.
    expect(findExtraRepeats(keys('x a b a b a b a b y'), 8, 2)).toEqual([5, 6, 7, 8]);
  });

  it('does not count copies that are not back to back', () => {
    expect(findExtraRepeats(keys('yes and yes and no yes and yes'), 8, 1)).toEqual([2, 3]);
    expect(findExtraRepeats(keys('a b a c a d a e'), 8, 1)).toEqual([]);
  });

  it('finds loops longer than a few words only up to ngramMax', () => {
    const sentence = 'I will be right back with you ';
    const loop = keys(sentence.repeat(5).trim());
    expect(findExtraRepeats(loop, 6, 3)).toEqual([]);
    expect(findExtraRepeats(loop, 7, 3)).toEqual(Array.from({ length: 14 }, (_, i) => 21 + i));
  });
});
