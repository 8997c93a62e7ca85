import { describe, expect, it } from 'vitest';
import { random } from './__fixtures__/synthetic-voices';
import { mergeNeighbours } from './neighbour-merging';

const e1 = Float64Array.of(1, 0);
const e2 = Float64Array.of(0, 1);

/** The O(n²) version: join the closest neighbouring pair (first on ties) until maxItems remain. */
function naiveMerge(vectors: Float64Array[], maxItems: number): number[] {
  let segments = vectors.map((v, i) => ({ sum: Float64Array.from(v), items: [i] }));
  const distance = (a: Float64Array, b: Float64Array) => {
    const dot = a.reduce((s, x, d) => s + x * b[d]!, 0);
    const norms = Math.hypot(...a) * Math.hypot(...b);
    return norms > 1e-12 ? 1 - dot / norms : 1;
  };
  while (segments.length > maxItems) {
    let best = 0;
    for (let i = 1; i + 1 < segments.length; i++) {
      if (
        distance(segments[i]!.sum, segments[i + 1]!.sum) <
        distance(segments[best]!.sum, segments[best + 1]!.sum)
      ) {
        best = i;
      }
    }
    const [a, b] = [segments[best]!, segments[best + 1]!];
    const merged = { sum: a.sum.map((x, d) => x + b.sum[d]!), items: [...a.items, ...b.items] };
    segments = [...segments.slice(0, best), merged, ...segments.slice(best + 2)];
  }
  const segmentOf: number[] = [];
  segments.forEach((s, k) => s.items.forEach((i) => (segmentOf[i] = k)));
  return segmentOf;
}

describe('mergeNeighbours', () => {
  it('keeps the changes between different neighbours (hand case)', () => {
    // A A A B B A: the zero-distance neighbour pairs go first, leaving [AAA][BB][A].
    const { segmentOf, vectors, weights } = mergeNeighbours([e1, e1, e1, e2, e2, e1], 3);
    expect([...segmentOf]).toEqual([0, 0, 0, 1, 1, 2]);
    expect(weights).toEqual([3, 2, 1]);
    expect(vectors.map((v) => [...v])).toEqual([
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
  });

  it('leaves short inputs alone', () => {
    const { segmentOf, weights } = mergeNeighbours([e1, e2, e1], 3);
    expect([...segmentOf]).toEqual([0, 1, 2]);
    expect(weights).toEqual([1, 1, 1]);
    expect(mergeNeighbours([], 5).vectors).toEqual([]);
    expect(() => mergeNeighbours([e1], 0)).toThrow(RangeError);
  });

  it('makes the same segments as the O(n²) version (random vectors)', () => {
    const next = random(3);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + Math.floor(next() * 40);
      const vectors = Array.from({ length: n }, () =>
        Float64Array.from({ length: 4 }, () => next() - 0.5),
      );
      const maxItems = 1 + Math.floor(next() * n);
      expect([...mergeNeighbours(vectors, maxItems).segmentOf]).toEqual(
        naiveMerge(vectors, maxItems),
      );
    }
  });
});
