import { describe, expect, it } from 'vitest';
import { random } from './__fixtures__/synthetic-voices';
import { averageLinkage, clusterCount, cutTree, type Merge } from './agglomerative';

const unit = (degrees: number) =>
  Float64Array.of(Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180));

function randomUnitVectors(n: number, dims: number, next: () => number): Float64Array[] {
  return Array.from({ length: n }, () => {
    const v = Float64Array.from({ length: dims }, () => next() - 0.5);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

/**
 * The textbook O(n³) version: merge the two clusters with the smallest weighted average
 * distance between their items, again and again. Returns the heights and the partitions.
 */
function naiveAverageLinkage(vectors: Float64Array[], weights: number[]) {
  const dist = (i: number, j: number) =>
    1 - vectors[i]!.reduce((s, x, d) => s + x * vectors[j]![d]!, 0);
  let clusters = vectors.map((_, i) => [i]);
  const heights: number[] = [];
  const partitions: number[][][] = [clusters.map((c) => [...c])];
  while (clusters.length > 1) {
    let best = { d: Infinity, a: 0, b: 1 };
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        let sum = 0;
        let total = 0;
        for (const i of clusters[a]!) {
          for (const j of clusters[b]!) {
            sum += weights[i]! * weights[j]! * dist(i, j);
            total += weights[i]! * weights[j]!;
          }
        }
        if (sum / total < best.d) best = { d: sum / total, a, b };
      }
    }
    heights.push(best.d);
    clusters = clusters
      .map((c, k) => (k === best.a ? [...c, ...clusters[best.b]!] : c))
      .filter((_, k) => k !== best.b);
    partitions.push(clusters.map((c) => [...c].sort((x, y) => x - y)));
  }
  return { heights, partitions };
}

/** A partition as a canonical string, from labels. */
function partitionOf(labels: Int32Array): string {
  const groups = new Map<number, number[]>();
  labels.forEach((l, i) => groups.set(l, [...(groups.get(l) ?? []), i]));
  return JSON.stringify([...groups.values()].sort((a, b) => a[0]! - b[0]!));
}

describe('averageLinkage', () => {
  it('joins close directions first (hand case)', () => {
    // Angles 0°, 10°, 90°, 100°: the pairs are 1 − cos 10° apart; the two pairs are 1 apart on
    // average (1 − (cos 90° + cos 80° + cos 100° + cos 90°) / 4 = 1).
    const merges = averageLinkage([unit(0), unit(10), unit(90), unit(100)], [1, 1, 1, 1]);
    expect(merges).toHaveLength(3);
    expect(merges[0]!.height).toBeCloseTo(1 - Math.cos(Math.PI / 18), 6);
    expect(merges[1]!.height).toBeCloseTo(1 - Math.cos(Math.PI / 18), 6);
    expect(merges[2]!.height).toBeCloseTo(1, 6);
    expect(partitionOf(cutTree(4, merges, 2))).toBe('[[0,1],[2,3]]');
    expect([...cutTree(4, merges, 2)]).toEqual([0, 0, 1, 1]);
  });

  it('builds the same tree as the O(n³) textbook version (random vectors and weights)', () => {
    const next = random(5);
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + Math.floor(next() * 14);
      const vectors = randomUnitVectors(n, 3, next);
      const weights = vectors.map(() => 1 + Math.floor(next() * 4));
      const merges = averageLinkage(vectors, weights);
      const naive = naiveAverageLinkage(vectors, weights);
      expect(merges.map((m) => m.height)).toEqual(
        naive.heights.map((h) => expect.closeTo(h, 5) as unknown as number),
      );
      for (let k = 1; k <= n; k++) {
        const expected = JSON.stringify(naive.partitions[n - k]!.sort((a, b) => a[0]! - b[0]!));
        expect(partitionOf(cutTree(n, merges, k))).toBe(expected);
      }
    }
  });

  it('handles one item, none, and refuses mismatched weights', () => {
    expect(averageLinkage([unit(0)], [1])).toEqual([]);
    expect(averageLinkage([], [])).toEqual([]);
    expect([...cutTree(1, [], 3)]).toEqual([0]);
    expect(() => averageLinkage([unit(0)], [])).toThrow(RangeError);
  });
});

describe('clusterCount / cutTree', () => {
  const merges: Merge[] = [
    { a: 0, b: 1, height: 0.2 },
    { a: 2, b: 3, height: 0.5 },
    { a: 0, b: 2, height: 1.3 },
  ];

  it('counts the clusters left under a threshold, within bounds', () => {
    expect(clusterCount(4, merges, { threshold: 0.1 })).toBe(4);
    expect(clusterCount(4, merges, { threshold: 0.5 })).toBe(2);
    expect(clusterCount(4, merges, { threshold: 2 })).toBe(1);
    expect(clusterCount(4, merges, { threshold: 2, min: 2 })).toBe(2);
    expect(clusterCount(4, merges, { threshold: 0.1, max: 3 })).toBe(3);
    expect(clusterCount(4, merges, { threshold: 0.1, min: 9 })).toBe(4);
    expect(clusterCount(0, [], { threshold: 1 })).toBe(0);
  });

  it('numbers clusters in the order of their first item', () => {
    expect([...cutTree(4, merges, 3)]).toEqual([0, 0, 1, 2]);
    expect([...cutTree(4, merges, 1)]).toEqual([0, 0, 0, 0]);
    expect([...cutTree(4, merges, 9)]).toEqual([0, 1, 2, 3]);
  });
});
