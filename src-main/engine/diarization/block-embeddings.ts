/**
 * A crude speaker embedding per speech block, needing no model: the mean MFCC (c1 … c19) over
 * the block and its `context` neighbours on each side within the same speech region (1.5 s of
 * speech for the default 0.5 s blocks and context 1), standardised per dimension over the whole
 * file (so each coefficient weighs the same and the recording's average voice is the origin) and
 * scaled to unit length, so that the dot product of two embeddings is their cosine similarity.
 *
 * The mean spectral envelope mostly reflects the vocal tract and the microphone, so voices that
 * differ in timbre or recording set-up separate; two similar voices on one channel often do not.
 */
import type { SpeechBlock } from './speech-blocks';

/** One unit-length (or all-zero, for a block like the file's average) vector per block. */
export function blockEmbeddings(blocks: readonly SpeechBlock[], context = 1): Float64Array[] {
  const dims = blocks[0]?.sum.length ?? 0;
  const embeddings = blocks.map((block, i) => {
    const sum = new Float64Array(dims);
    let frames = 0;
    for (let j = Math.max(0, i - context); j <= Math.min(blocks.length - 1, i + context); j++) {
      const other = blocks[j]!;
      if (other.region !== block.region) continue;
      for (let d = 0; d < dims; d++) sum[d] = sum[d]! + other.sum[d]!;
      frames += other.frames;
    }
    return sum.map((s) => s / frames);
  });

  const mean = new Float64Array(dims);
  const variance = new Float64Array(dims);
  for (const e of embeddings) for (let d = 0; d < dims; d++) mean[d] = mean[d]! + e[d]!;
  for (let d = 0; d < dims; d++) mean[d] = mean[d]! / embeddings.length;
  for (const e of embeddings) {
    for (let d = 0; d < dims; d++) variance[d] = variance[d]! + (e[d]! - mean[d]!) ** 2;
  }
  const scale = variance.map((v) => {
    const sd = Math.sqrt(v / embeddings.length);
    return sd > 1e-9 ? 1 / sd : 0;
  });
  for (const e of embeddings) {
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      e[d] = (e[d]! - mean[d]!) * scale[d]!;
      norm += e[d]! * e[d]!;
    }
    norm = Math.sqrt(norm);
    if (norm > 1e-12) for (let d = 0; d < dims; d++) e[d] = e[d]! / norm;
  }
  return embeddings;
}
