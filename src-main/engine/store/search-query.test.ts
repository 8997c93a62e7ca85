import { describe, expect, it } from 'vitest';
import { highlightRanges, toMatchExpression } from './search-query';

describe('toMatchExpression', () => {
  it.each([
    ['americans', '"americans"*'],
    ['  ask   not ', '"ask" "not"*'],
    ['"ask not" country', '"ask not" "country"*'],
    ['country "ask  not"', '"country" "ask not"'],
    ['"ask not', '"ask not"'],
    ['AND OR NOT', '"AND" "OR" "NOT"*'],
    ['col:x NEAR(a b)', '"col:x" "NEAR(a" "b)"*'],
    ['a\u0000b', '"a" "b"*'],
  ])('quotes %j as %j', (input, expected) => {
    expect(toMatchExpression(input)).toBe(expected);
  });

  it('normalizes decomposed accents to the composed form', () => {
    expect(toMatchExpression('e\u0301cole')).toBe('"\u00e9cole"*');
  });

  it.each(['"', '""', '" "', '\u0000'])('finds nothing searchable in %j', (input) => {
    expect(toMatchExpression(input)).toBeNull();
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
