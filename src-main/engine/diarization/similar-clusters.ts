/**
 * A floor under the number of speakers found without being told: clusters whose average spectra
 * barely differ are one voice, however the clustering split them. The average spectrum of a
 * cluster is the mean MFCC (c1 … c19) of its blocks' frames; with the orthonormal DCT of mfcc.ts
 * the Euclidean distance between two such means, divided by √(mel bands), is the RMS difference
 * of the two smoothed log-mel spectra with their overall levels removed, here given in dB.
 */
import { DEFAULT_MEL_BANDS } from './mfcc';
import type { SpeechBlock } from './speech-blocks';

/** 10·log10(e): natural-log power units to dB. */
const DB_PER_NEPER = 10 / Math.LN10;

export interface ClusterSum {
  sum: Float64Array;
  frames: number;
}

/** The summed MFCCs and frame count of each cluster's blocks. */
export function clusterSums(
  blocks: readonly SpeechBlock[],
  labels: Int32Array,
): Map<number, ClusterSum> {
  const dims = blocks[0]?.sum.length ?? 0;
  const sums = new Map<number, ClusterSum>();
  blocks.forEach((block, i) => {
    const label = labels[i]!;
    let cluster = sums.get(label);
    if (!cluster) sums.set(label, (cluster = { sum: new Float64Array(dims), frames: 0 }));
    for (let d = 0; d < dims; d++) cluster.sum[d] = cluster.sum[d]! + block.sum[d]!;
    cluster.frames += block.frames;
  });
  return sums;
}

/**
 * Joins the two clusters with the closest average spectra while those differ by less than
 * `minDifferenceDb` (RMS over the mel bands) and more than `minClusters` remain. Returns new
 * labels numbered 0, 1, … in order of first appearance.
 */
export function mergeSimilarClusters(
  blocks: readonly SpeechBlock[],
  labels: Int32Array,
  minDifferenceDb: number,
  minClusters = 1,
): Int32Array {
  const dims = blocks[0]?.sum.length ?? 0;
  const sums = clusterSums(blocks, labels);
  const into = new Map<number, number>();
  while (sums.size > minClusters) {
    let best: [number, number, number] | undefined;
    const ids = [...sums.keys()].sort((a, b) => a - b);
    for (const [i, a] of ids.entries()) {
      for (const b of ids.slice(i + 1)) {
        const db = spectralDifferenceDb(sums.get(a)!, sums.get(b)!);
        if (!best || db < best[2]) best = [a, b, db];
      }
    }
    if (!best || best[2] >= minDifferenceDb) break;
    const [keep, drop] = best;
    const kept = sums.get(keep)!;
    const dropped = sums.get(drop)!;
    for (let d = 0; d < dims; d++) kept.sum[d] = kept.sum[d]! + dropped.sum[d]!;
    kept.frames += dropped.frames;
    sums.delete(drop);
    into.set(drop, keep);
  }
  const final = (label: number): number => {
    while (into.has(label)) label = into.get(label)!;
    return label;
  };
  const numbering = new Map<number, number>();
  return labels.map((label) => {
    const root = final(label);
    let n = numbering.get(root);
    if (n === undefined) numbering.set(root, (n = numbering.size));
    return n;
  });
}

/** RMS difference in dB of the smoothed, level-free log-mel spectra of two clusters. */
export function spectralDifferenceDb(a: ClusterSum, b: ClusterSum): number {
  return voiceDifferenceDb(meanOf(a), meanOf(b));
}

/** A cluster's mean MFCC (c1 … c19): its average spectrum, and a rough print of its voice. */
export function meanOf({ sum, frames }: ClusterSum): number[] {
  return Array.from(sum, (value) => value / frames);
}

/**
 * RMS difference in dB of two average spectra (`meanOf`), level removed: 0 for the same voice
 * under the same conditions; two different speakers of the fixtures differ by 1.7–2.9 dB.
 */
export function voiceDifferenceDb(a: readonly number[], b: readonly number[]): number {
  let squares = 0;
  for (let d = 0; d < a.length; d++) squares += (a[d]! - (b[d] ?? 0)) ** 2;
  return Math.sqrt(squares / DEFAULT_MEL_BANDS) * DB_PER_NEPER;
}
