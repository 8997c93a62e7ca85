/**
 * Average-linkage agglomerative clustering on cosine distance, with the nearest-neighbour chain
 * algorithm: O(n²) time and one n × n Float32 distance matrix (16 MB for 2000 items), exact and
 * deterministic (ties go to the lower index). Average linkage is reducible, so sorting the
 * chain's merges by height gives the same tree as merging the closest pair each time.
 */

/** Clusters `a` and `b` (each named by one of its items) joined at distance `height`. */
export interface Merge {
  a: number;
  b: number;
  height: number;
}

/**
 * The full merge tree of `vectors` (unit length, or zero) under average linkage of the cosine
 * distance 1 − a·b, item i weighing `weights[i]` (e.g. the blocks it stands for). Merges are
 * sorted by height; n items give n − 1 merges.
 */
export function averageLinkage(
  vectors: readonly Float64Array[],
  weights: readonly number[],
): Merge[] {
  const n = vectors.length;
  if (weights.length !== n) throw new RangeError('need one weight per vector');
  const distance = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = vectors[i]!;
    for (let j = i + 1; j < n; j++) {
      const b = vectors[j]!;
      let dot = 0;
      for (let d = 0; d < a.length; d++) dot += a[d]! * b[d]!;
      distance[i * n + j] = distance[j * n + i] = 1 - dot;
    }
  }
  const size = Float64Array.from(weights);
  const active = new Uint8Array(n).fill(1);
  const merges: Merge[] = [];
  const chain: number[] = [];
  let remaining = n;
  while (remaining > 1) {
    if (chain.length === 0) chain.push(active.indexOf(1));
    const a = chain.at(-1)!;
    const previous = chain.length > 1 ? chain.at(-2)! : -1;
    // The nearest active cluster to `a`; the previous link wins ties, which ends the chain.
    let nearest = previous;
    let best = previous >= 0 ? distance[a * n + previous]! : Number.POSITIVE_INFINITY;
    for (let c = 0; c < n; c++) {
      if (c === a || !active[c]) continue;
      const d = distance[a * n + c]!;
      if (d < best) {
        best = d;
        nearest = c;
      }
    }
    if (nearest !== previous) {
      chain.push(nearest);
      continue;
    }
    // `a` and `previous` are each other's nearest: merge them into the lower index.
    chain.length -= 2;
    const keep = Math.min(a, previous);
    const drop = Math.max(a, previous);
    merges.push({ a: keep, b: drop, height: best });
    const total = size[keep]! + size[drop]!;
    for (let c = 0; c < n; c++) {
      if (!active[c] || c === keep || c === drop) continue;
      const d =
        (size[keep]! * distance[keep * n + c]! + size[drop]! * distance[drop * n + c]!) / total;
      distance[keep * n + c] = distance[c * n + keep] = d;
    }
    size[keep] = total;
    active[drop] = 0;
    remaining--;
  }
  // A stable sort keeps a merge after the merges that built its clusters, even at equal heights.
  return merges.sort((x, y) => x.height - y.height);
}

export interface ClusterCountOptions {
  /** Join clusters while they are at most this far apart (average cosine distance). */
  threshold: number;
  /** @default 1 */
  min?: number;
  /** @default no limit */
  max?: number;
}

/**
 * How many clusters remain when every merge at most `threshold` high is made, kept within
 * [min, max] (and within 1 … n).
 */
export function clusterCount(
  n: number,
  merges: readonly Merge[],
  options: ClusterCountOptions,
): number {
  const { threshold, min = 1, max = Number.POSITIVE_INFINITY } = options;
  if (n === 0) return 0;
  const made = merges.filter((m) => m.height <= threshold).length;
  return Math.max(1, Math.min(n, Math.max(min, Math.min(max, n - made))));
}

/**
 * The cluster of each of `n` items after the lowest merges have left `clusters` clusters
 * (clamped to 1 … n), numbered 0, 1, … in the order of their first item.
 */
export function cutTree(n: number, merges: readonly Merge[], clusters: number): Int32Array {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const joins = n - Math.max(1, Math.min(n, clusters));
  for (const { a, b } of merges.slice(0, joins)) {
    const ra = root(a);
    const rb = root(b);
    parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const labels = new Int32Array(n);
  const numbering = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = root(i);
    let label = numbering.get(r);
    if (label === undefined) numbering.set(r, (label = numbering.size));
    labels[i] = label;
  }
  return labels;
}
