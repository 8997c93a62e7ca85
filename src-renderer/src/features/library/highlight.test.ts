import { describe, expect, it } from 'vitest';
import { splitHighlights } from './highlight';

const marked = (text: string, ranges: Array<[number, number]>) =>
  splitHighlights(text, ranges)
    .map((p) => (p.match ? `[${p.text}]` : p.text))
    .join('');

describe('splitHighlights', () => {
  it('returns the whole text unmarked without ranges', () => {
    expect(splitHighlights('ask not', [])).toEqual([{ text: 'ask not', match: false }]);
  });

  it('marks ranges at the start, middle and end', () => {
    expect(
      marked('ask not what your country', [
        [0, 3],
        [8, 12],
        [18, 25],
      ]),
    ).toBe('[ask] not [what] your [country]');
  });

  it('sorts and merges overlapping or touching ranges', () => {
    expect(
      marked('abcdefgh', [
        [4, 6],
        [1, 3],
        [2, 4],
      ]),
    ).toBe('a[bcdef]gh');
  });

  it('clamps out-of-range offsets and drops empty ranges', () => {
    expect(
      marked('hello', [
        [-2, 2],
        [3, 3],
        [4, 99],
      ]),
    ).toBe('[he]ll[o]');
    expect(marked('', [[0, 4]])).toBe('');
  });

  it('keeps text that looks like HTML as text', () => {
    expect(splitHighlights('<b>x</b>', [[3, 4]])).toEqual([
      { text: '<b>', match: false },
      { text: 'x', match: true },
      { text: '</b>', match: false },
    ]);
  });

  it('slices UTF-16 offsets (emoji take two units)', () => {
    expect(marked('😀 hé', [[3, 5]])).toBe('😀 [hé]');
  });
});
