/**
 * Optimal one-to-one assignment (the Hungarian / Kuhn–Munkres algorithm, in the shortest
 * augmenting path form with row and column potentials): O(n²·m) for n ≤ m, exact, deterministic.
 */

/**
 * Pairs rows with columns of a `rows × cols` matrix of finite weights so that the sum of the
 * paired weights is as large as possible; every row gets a column when rows ≤ cols and every
 * column a row otherwise. Returns, for each row, its column or -1. Throws RangeError for a
 * ragged matrix or a weight that is not finite.
 */
export function maxWeightAssignment(weights: readonly (readonly number[])[]): number[] {
  const rows = weights.length;
  const cols = weights[0]?.length ?? 0;
  for (const row of weights) {
    if (row.length !== cols) throw new RangeError('every row of the weights must be as long');
    if (!row.every(Number.isFinite)) throw new RangeError('every weight must be a finite number');
  }
  const rowToCol = new Array<number>(rows).fill(-1);
  if (rows === 0 || cols === 0) return rowToCol;

  // The algorithm below needs n ≤ m, so work on the transpose when there are more rows.
  const transposed = rows > cols;
  const n = transposed ? cols : rows;
  const m = transposed ? rows : cols;
  // Minimising the negated weights maximises the weights.
  const cost = (i: number, j: number): number => -(transposed ? weights[j]![i]! : weights[i]![j]!);

  // 1-based: u/v are the row/column potentials, match[j] the row (1…n) holding column j or 0, and
  // column 0 a virtual start column.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const match = new Int32Array(m + 1);
  const previous = new Int32Array(m + 1);
  const slack = new Float64Array(m + 1);
  const visited = new Uint8Array(m + 1);
  for (let row = 1; row <= n; row++) {
    match[0] = row;
    let j0 = 0;
    slack.fill(Number.POSITIVE_INFINITY);
    visited.fill(0);
    // Grow a tree of tight edges from `row` until it reaches a free column.
    do {
      visited[j0] = 1;
      const i0 = match[j0]!;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (visited[j]) continue;
        const reduced = cost(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (reduced < slack[j]!) {
          slack[j] = reduced;
          previous[j] = j0;
        }
        if (slack[j]! < delta) {
          delta = slack[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (visited[j]) {
          const i = match[j]!;
          u[i] = u[i]! + delta;
          v[j] = v[j]! - delta;
        } else {
          slack[j] = slack[j]! - delta;
        }
      }
      j0 = j1;
    } while (match[j0] !== 0);
    // Flip the augmenting path back to the start column.
    do {
      const j1 = previous[j0]!;
      match[j0] = match[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }

  for (let j = 1; j <= m; j++) {
    const i = match[j]!;
    if (i === 0) continue;
    if (transposed) rowToCol[j - 1] = i - 1;
    else rowToCol[i - 1] = j - 1;
  }
  return rowToCol;
}
