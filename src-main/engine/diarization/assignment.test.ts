import { describe, expect, it } from 'vitest';
import { seededRandom as random } from '../documents/__fixtures__/random-result';
import { maxWeightAssignment } from './assignment';

/** The best total over every one-to-one pairing, by brute force. */
function bestTotal(weights: number[][]): number {
  const rows = weights.length;
  const cols = weights[0]?.length ?? 0;
  const usedCols = new Array<boolean>(cols).fill(false);
  const go = (row: number): number => {
    if (row === rows) return 0;
    // A row may stay unpaired only when there are more rows than columns.
    let best = rows > cols ? go(row + 1) : Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) {
      if (usedCols[c]) continue;
      usedCols[c] = true;
      best = Math.max(best, weights[row]![c]! + go(row + 1));
      usedCols[c] = false;
    }
    return best;
  };
  return go(0);
}

function totalOf(weights: number[][], rowToCol: number[]): number {
  return rowToCol.reduce((sum, c, r) => sum + (c < 0 ? 0 : weights[r]![c]!), 0);
}

describe('maxWeightAssignment', () => {
  it('beats the greedy choice of the largest weight (hand case)', () => {
    // Greedy takes 7 then 0 (= 7); the optimum is 6 + 5 = 11.
    const weights = [
      [7, 5],
      [6, 0],
    ];
    expect(maxWeightAssignment(weights)).toEqual([1, 0]);
  });

  it('pairs every row when there are more columns, every column when there are more rows', () => {
    expect(maxWeightAssignment([[1, 9, 3]])).toEqual([1]);
    expect(maxWeightAssignment([[1], [9], [3]])).toEqual([-1, 0, -1]);
    expect(maxWeightAssignment([])).toEqual([]);
    expect(maxWeightAssignment([[], []])).toEqual([-1, -1]);
  });

  it('finds the brute-force optimum on 300 random matrices up to 6 × 6', () => {
    const next = random(42);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(next() * 6);
      const cols = 1 + Math.floor(next() * 6);
      // Coarse weights make ties common, where a sloppy implementation goes wrong.
      const weights = Array.from({ length: rows }, () =>
        Array.from({ length: cols }, () => Math.floor(next() * 5) * 1.5),
      );
      const rowToCol = maxWeightAssignment(weights);
      expect(rowToCol).toHaveLength(rows);
      const pairedCols = rowToCol.filter((c) => c >= 0);
      expect(new Set(pairedCols).size).toBe(pairedCols.length);
      expect(pairedCols.length).toBe(Math.min(rows, cols));
      expect(totalOf(weights, rowToCol)).toBeCloseTo(bestTotal(weights), 9);
    }
  });

  it('refuses ragged matrices and weights that are not finite', () => {
    expect(() => maxWeightAssignment([[1, 2], [3]])).toThrow(RangeError);
    expect(() => maxWeightAssignment([[1, Number.NaN]])).toThrow(RangeError);
  });
});
