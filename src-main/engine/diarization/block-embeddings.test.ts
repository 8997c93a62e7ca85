import { describe, expect, it } from 'vitest';
import { blockEmbeddings } from './block-embeddings';
import type { SpeechBlock } from './speech-blocks';

/** A block of `frames` frames whose mean MFCC is `mean`. */
function block(region: number, mean: number[], frames = 1): SpeechBlock {
  return { start: 0, end: 0.5, region, frames, sum: Float64Array.from(mean, (m) => m * frames) };
}

describe('blockEmbeddings', () => {
  it('pools neighbours of the same region, standardises and scales to unit length (hand case)', () => {
    const blocks = [block(0, [1, 0]), block(0, [3, 0]), block(0, [5, 0]), block(1, [0, 2])];
    // Pooled over ±1 block within the region: (2, 0), (3, 0), (4, 0), and (0, 2) alone, since
    // the block before it is in another region.
    // Standardised: dim 0 has mean 2.25 and variance 8.75 / 4; dim 1 mean 0.5, variance 0.75.
    const pooled = [
      [2, 0],
      [3, 0],
      [4, 0],
      [0, 2],
    ];
    const sd0 = Math.sqrt(8.75 / 4);
    const sd1 = Math.sqrt(0.75);
    const embeddings = blockEmbeddings(blocks);
    embeddings.forEach((e, i) => {
      const z = [(pooled[i]![0]! - 2.25) / sd0, (pooled[i]![1]! - 0.5) / sd1];
      const norm = Math.hypot(z[0]!, z[1]!);
      expect(e[0]).toBeCloseTo(z[0]! / norm, 12);
      expect(e[1]).toBeCloseTo(z[1]! / norm, 12);
    });
  });

  it('weighs blocks by their frames and keeps constant dimensions at zero', () => {
    // Pooled over both blocks: (1·1 + 3·3) / 4 = 2.5 for block 0 and 1, then standardised to 0.
    const blocks = [block(0, [1, 7], 1), block(0, [3, 7], 3), block(1, [0, 7], 1)];
    const embeddings = blockEmbeddings(blocks);
    expect(embeddings[0]![0]).toBeCloseTo(embeddings[1]![0]!, 12);
    expect(embeddings[0]![0]).toBeCloseTo(1, 12);
    expect(embeddings[2]![0]).toBeCloseTo(-1, 12);
    for (const e of embeddings) expect(e[1]).toBe(0);
    expect(blockEmbeddings([])).toEqual([]);
  });
});
