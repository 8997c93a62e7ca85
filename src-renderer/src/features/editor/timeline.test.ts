import { describe, expect, it } from 'vitest';
import { makeDocument } from './__fixtures__/make-document';
import { buildWordTimeline, cueAt, segmentIndexAt, wordIndexAt } from './timeline';

// Words at 0–400, 500–900 | 1000–1400 (segment padded to 2400) | 2500–2900.
const doc = makeDocument([
  { lines: [['one'], ['two']] },
  { lines: [['three']], padMs: 1000 },
  { lines: [['four']] },
]);

describe('wordIndexAt', () => {
  const timeline = buildWordTimeline(doc);
  it.each([
    [0, 0],
    [399, 0],
    [400, -1],
    [450, -1],
    [500, 1],
    [1399, 2],
    [2000, -1],
    [2900, -1],
    [-5, -1],
  ])('at %d ms → word %d', (ms, index) => expect(wordIndexAt(timeline, ms)).toBe(index));

  it('maps words to their segments', () => {
    expect(timeline.segmentOf).toEqual([0, 0, 1, 2]);
    expect(timeline.ids).toEqual(['w0', 'w1', 'w2', 'w3']);
  });

  it('finds the word among 30 000 in a handful of steps', () => {
    const specs = Array.from({ length: 3000 }, (_, s) => ({
      lines: [Array.from({ length: 10 }, (_, w) => `w${s}-${w}`)],
    }));
    const big = buildWordTimeline(makeDocument(specs));
    expect(big.ids).toHaveLength(30_000);
    const i = 12_345;
    expect(wordIndexAt(big, big.starts[i]! + 10)).toBe(i);
  });
});

describe('segmentIndexAt and cueAt', () => {
  it('follows the segment the playhead is in or last passed', () => {
    expect(segmentIndexAt(doc.segments, -1)).toBe(-1);
    expect(segmentIndexAt(doc.segments, 950)).toBe(0);
    expect(segmentIndexAt(doc.segments, 2450)).toBe(1);
  });

  it('shows a caption while its segment is on screen, lines as wrapped', () => {
    expect(cueAt(doc, 100)).toEqual({ segmentId: 's0', start: 0, end: 900, lines: ['one', 'two'] });
    expect(cueAt(doc, 2000)?.lines).toEqual(['three']);
    expect(cueAt(doc, 2450)).toBeUndefined();
  });
});
