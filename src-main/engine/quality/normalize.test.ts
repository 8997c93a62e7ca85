import { describe, expect, it } from 'vitest';
import { normalizeForWer, normalizedWords, spellCardinal, spellOrdinal } from './normalize';

describe('normalizeForWer', () => {
  it.each([
    // case, punctuation, whitespace
    ['And so, my fellow Americans:  ask not…', 'and so my fellow americans ask not'],
    ['  Hello\tWORLD!\n', 'hello world'],
    // apostrophes inside words stay, others go; typographic ones are unified
    ["Don't stop — it's the dogs' bone, 'tis", "don't stop it's the dogs bone tis"],
    ['It’s John’s', "it's john's"],
    // compound words split
    ['a well-known, state–of–the–art idea', 'a well known state of the art idea'],
    // numbers 0–99 spelled out, larger ones kept
    ['go forward 10 meters', 'go forward ten meters'],
    ['0 7 13 20 42 99', 'zero seven thirteen twenty forty two ninety nine'],
    ['in 1776 and 100 and 007', 'in 1776 and 100 and 007'],
    ['1,000 people', '1000 people'],
    ['3.5 miles', 'three point five miles'],
    // ordinals
    [
      'the 1st, 2nd, 3rd, 4th, 12th, 21st and 40th',
      'the first second third fourth twelfth twenty first and fortieth',
    ],
    // spelled-out numbers meet digits
    ['twenty-one', 'twenty one'],
    ['21', 'twenty one'],
    // symbols and titles
    ['R&D at 50%', 'r and d at fifty percent'],
    [
      'Mr. John Dashwood met Mrs. Smith and Dr. Who',
      'mister john dashwood met missus smith and doctor who',
    ],
    // fillers removed
    ['Um, so, uh, we er… went, hmm', 'so we went'],
    // accents kept
    ['Bienvenue à Paris, ÉTÉ', 'bienvenue à paris été'],
    ['', ''],
    ['?!…', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeForWer(input)).toBe(expected);
  });

  it('keeps fillers with removeFillers: false', () => {
    expect(normalizeForWer('Um, yes', { removeFillers: false })).toBe('um yes');
  });

  it('splits into words, none for empty text', () => {
    expect(normalizedWords('Go forward, 10 meters!')).toEqual(['go', 'forward', 'ten', 'meters']);
    expect(normalizedWords(' … ')).toEqual([]);
  });
});

describe('number words', () => {
  it('spells 0–99', () => {
    expect([0, 9, 10, 15, 19, 20, 30, 47, 80, 99].map(spellCardinal)).toEqual([
      'zero',
      'nine',
      'ten',
      'fifteen',
      'nineteen',
      'twenty',
      'thirty',
      'forty seven',
      'eighty',
      'ninety nine',
    ]);
    expect(() => spellCardinal(100)).toThrow(RangeError);
    expect(() => spellCardinal(1.5)).toThrow(RangeError);
  });

  it('spells ordinals 1–99', () => {
    expect([1, 2, 3, 5, 8, 9, 11, 12, 20, 22, 33, 90].map(spellOrdinal)).toEqual([
      'first',
      'second',
      'third',
      'fifth',
      'eighth',
      'ninth',
      'eleventh',
      'twelfth',
      'twentieth',
      'twenty second',
      'thirty third',
      'ninetieth',
    ]);
    expect(() => spellOrdinal(0)).toThrow(RangeError);
  });
});
