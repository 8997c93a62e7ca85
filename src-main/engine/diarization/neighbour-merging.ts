/**
 * Speaker-change detection by time-constrained merging: joins neighbouring items (in time
 * order), the most similar pair first, until at most `maxItems` remain. What is left are
 * stretches between the most likely speaker changes, few enough for the O(n²) clustering that
 * follows, however long the recording. Pairs are kept in a binary heap: O(n log n).
 */

export interface MergedSegments {
  /** The segment of each input item; segments are numbered in time order. */
  segmentOf: Int32Array;
  /** Each segment's direction: the sum of its items' vectors, scaled to unit length (or zero). */
  vectors: Float64Array[];
  /** How many items each segment holds. */
  weights: number[];
}

/**
 * Merges neighbours among `vectors` (unit-length embeddings in time order) by cosine distance
 * until at most `maxItems` segments remain. With no more than `maxItems` items, each item is its
 * own segment.
 */
export function mergeNeighbours(
  vectors: readonly Float64Array[],
  maxItems: number,
): MergedSegments {
  if (!(Number.isInteger(maxItems) && maxItems >= 1)) {
    throw new RangeError(`maxItems must be a positive integer, not ${maxItems}`);
  }
  const n = vectors.length;
  const sums = vectors.map((v) => Float64Array.from(v));
  const count = new Array<number>(n).fill(1);
  // A doubly linked list of the segments still alive, named by their first item.
  const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
  const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
  const version = new Int32Array(n);
  const heap = new PairHeap();
  const pushPair = (left: number) => {
    const right = next[left]!;
    if (right < 0) return;
    heap.push({
      distance: cosineDistance(sums[left]!, sums[right]!),
      left,
      right,
      leftVersion: version[left]!,
      rightVersion: version[right]!,
    });
  };
  for (let i = 0; i + 1 < n; i++) pushPair(i);

  let alive = n;
  while (alive > maxItems) {
    const pair = heap.pop();
    if (!pair) break;
    const { left, right } = pair;
    // Stale: one side was absorbed or has grown since this pair was pushed.
    const stale =
      count[left] === 0 ||
      next[left] !== right ||
      version[left] !== pair.leftVersion ||
      version[right] !== pair.rightVersion;
    if (stale) continue;
    const sum = sums[left]!;
    const other = sums[right]!;
    for (let d = 0; d < sum.length; d++) sum[d] = sum[d]! + other[d]!;
    count[left] = count[left]! + count[right]!;
    count[right] = 0;
    const after = next[right]!;
    next[left] = after;
    if (after >= 0) prev[after] = left;
    version[left] = version[left]! + 1;
    alive--;
    pushPair(left);
    if (prev[left]! >= 0) pushPair(prev[left]!);
  }

  const segmentOf = new Int32Array(n);
  const segmentVectors: Float64Array[] = [];
  const weights: number[] = [];
  for (let i = 0; i >= 0 && i < n; i = next[i]!) {
    const sum = sums[i]!;
    const norm = Math.sqrt(sum.reduce((s, x) => s + x * x, 0));
    segmentVectors.push(norm > 1e-12 ? sum.map((x) => x / norm) : sum);
    weights.push(count[i]!);
    for (let j = i; j < i + count[i]!; j++) segmentOf[j] = segmentVectors.length - 1;
  }
  return { segmentOf, vectors: segmentVectors, weights };
}

interface Pair {
  distance: number;
  left: number;
  right: number;
  leftVersion: number;
  rightVersion: number;
}

/** A binary min-heap of pairs by distance, ties by the left item (deterministic order). */
class PairHeap {
  readonly #items: Pair[] = [];

  push(pair: Pair): void {
    const items = this.#items;
    items.push(pair);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Pair | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || !last) return top;
    items[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < items.length && before(items[l]!, items[smallest]!)) smallest = l;
      if (r < items.length && before(items[r]!, items[smallest]!)) smallest = r;
      if (smallest === i) break;
      [items[i], items[smallest]] = [items[smallest]!, items[i]!];
      i = smallest;
    }
    return top;
  }
}

function before(a: Pair, b: Pair): boolean {
  return a.distance < b.distance || (a.distance === b.distance && a.left < b.left);
}

function cosineDistance(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < a.length; d++) {
    dot += a[d]! * b[d]!;
    na += a[d]! * a[d]!;
    nb += b[d]! * b[d]!;
  }
  const norms = Math.sqrt(na * nb);
  return norms > 1e-12 ? 1 - dot / norms : 1;
}
