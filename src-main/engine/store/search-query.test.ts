import { describe, expect, it } from 'vitest';
import { highlightRanges, toMatchExpression, toMatchQuery } from './search-query';

describe('toMatchExpression', () => {
  it.each([
    ['americans', '"americans"*'],
    ['  ask   not ', '"ask" "not"*'],
    ['"ask not" country', '"ask not" "country"*'],
    ['country "ask  not"', '"country" "ask not"'],
    ['"ask not', '"ask not"'],
    ['AND OR NOT', '"AND" "OR" "NOT"*'],
    ['col:x NEAR(ab cd)', '"col:x" "NEAR(ab" "cd)"*'],
    ['a\u0000bc', '"a" "bc"*'],
  ])('quotes %j as %j', (input, expected) => {
    expect(toMatchExpression(input)).toBe(expected);
  });

  // A one-letter prefix would match a large share of all words, and FTS5 has no index for it.
  it.each([
    ['a', '"a"'],
    ['ask a', '"ask" "a"'],
    ['col:x NEAR(a b)', '"col:x" "NEAR(a" "b)"'],
    ['x:y', '"x:y"'],
    ['é', '"é"'],
    ['ab', '"ab"*'],
    ['x:yz', '"x:yz"*'],
    ['"ask not" a', '"ask not" "a"'],
  ])('matches a last word ending in a one-letter token whole: %j as %j', (input, expected) => {
    expect(toMatchExpression(input)).toBe(expected);
  });

  it('normalizes decomposed accents to the composed form', () => {
    expect(toMatchExpression('e\u0301cole')).toBe('"\u00e9cole"*');
  });

  it.each(['"', '""', '" "', '\u0000'])('finds nothing searchable in %j', (input) => {
    expect(toMatchExpression(input)).toBeNull();
  });
});

describe('toMatchQuery', () => {
  it('lists each token once, as the tokenizer splits them, the prefix with its star', () => {
    expect(toMatchQuery('"ask not" col:x NOT Amer')).toEqual({
      expression: '"ask not" "col:x" "NOT" "Amer"*',
      tokens: ['"ask"', '"not"', '"col"', '"x"', '"NOT"', '"Amer"*'],
    });
    expect(toMatchQuery('fellow a')?.tokens).toEqual(['"fellow"', '"a"']);
    expect(toMatchQuery('*')).toEqual({ expression: '"*"', tokens: [] });
  });
});

describe('highlightRanges', () => {
  it('reads marked ranges as offsets into the plain text', () => {
    const text = 'Hello, Américans ask not!';
    const marked = 'Hello, \u0002Américans\u0003 \u0002ask not\u0003!';
    const ranges = highlightRanges(text, marked);
    expect(ranges).toEqual([
      [7, 16],
      [17, 24],
    ]);
    expect(ranges.map(([a, b]) => text.slice(a, b))).toEqual(['Américans', 'ask not']);
  });

  it('counts characters outside the BMP as JavaScript does', () => {
    const text = '🎉 party';
    expect(highlightRanges(text, '🎉 \u0002party\u0003')).toEqual([[3, 8]]);
  });

  it('reports no ranges rather than wrong ones when the text contains a marker', () => {
    expect(highlightRanges('a\u0002b c', 'a\u0002b \u0002c\u0003')).toEqual([]);
  });
});
