import { describe, expect, it } from 'vitest';
import { mergeSimilarClusters, spectralDifferenceDb } from './similar-clusters';
import type { SpeechBlock } from './speech-blocks';

/** A one-frame block whose MFCC c1 … c19 are `value` in the first coefficient, 0 elsewhere. */
function block(c1: number): SpeechBlock {
  const sum = new Float64Array(19);
  sum[0] = c1;
  return { start: 0, end: 0.5, region: 0, frames: 1, sum };
}

/** The c1 step that makes a difference of `db` (RMS over 40 mel bands). */
const c1ForDb = (db: number) => (db / (10 / Math.LN10)) * Math.sqrt(40);

describe('spectralDifferenceDb', () => {
  it('is the RMS log-mel difference in dB', () => {
    const a = { sum: Float64Array.of(c1ForDb(2), 0), frames: 1 };
    const b = { sum: Float64Array.of(0, 0), frames: 1 };
    expect(spectralDifferenceDb(a, b)).toBeCloseTo(2, 9);
    // Means, not sums: two frames of the same spectrum are no different from one.
    expect(
      spectralDifferenceDb(
        { sum: Float64Array.of(2, 4), frames: 2 },
        { sum: Float64Array.of(1, 2), frames: 1 },
      ),
    ).toBe(0);
  });
});

describe('mergeSimilarClusters', () => {
  const blocks = [block(0), block(c1ForDb(1)), block(c1ForDb(3)), block(0)];

  it('joins clusters less than the given dB apart, then renumbers them', () => {
    // Clusters 0 (0 dB), 1 (1 dB) and 2 (3 dB); 0 and 1 are 1 dB apart, 1 and 2 are 2 dB apart.
    const labels = Int32Array.of(0, 1, 2, 0);
    expect([...mergeSimilarClusters(blocks, labels, 1.5)]).toEqual([0, 0, 1, 0]);
    expect([...mergeSimilarClusters(blocks, labels, 0.5)]).toEqual([0, 1, 2, 0]);
    // Once 0 and 1 are one cluster (mean 0.33 dB), it is 2.67 dB from cluster 2.
    expect([...mergeSimilarClusters(blocks, labels, 2.6)]).toEqual([0, 0, 1, 0]);
    expect([...mergeSimilarClusters(blocks, labels, 2.7)]).toEqual([0, 0, 0, 0]);
  });

  it('keeps at least minClusters', () => {
    const labels = Int32Array.of(0, 1, 2, 0);
    expect([...mergeSimilarClusters(blocks, labels, 10, 2)]).toEqual([0, 0, 1, 0]);
    expect([...mergeSimilarClusters(blocks, labels, 10, 3)]).toEqual([0, 1, 2, 0]);
  });
});
