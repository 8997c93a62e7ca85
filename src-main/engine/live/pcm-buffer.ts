import { EngineError } from '../errors';

/**
 * A growable window of 16 kHz mono samples addressed by absolute sample index (counted from the
 * first sample of the stream). Appends go at the end, `trimBefore` drops the start; the storage
 * is compacted in place and never grows beyond `maxSamples`, so memory is bounded however long
 * the stream runs. Main thread only.
 */
export class PcmBuffer {
  #data = new Float32Array(0);
  /** Index in #data of the first kept sample. */
  #offset = 0;
  #length = 0;
  /** Absolute index of the first kept sample. */
  #start = 0;
  readonly maxSamples: number;

  constructor(maxSamples: number) {
    this.maxSamples = maxSamples;
  }

  /** Absolute index of the first kept sample. */
  get start(): number {
    return this.#start;
  }

  /** Absolute index one past the last sample. */
  get end(): number {
    return this.#start + this.#length;
  }

  get length(): number {
    return this.#length;
  }

  /** Samples allocated now (at most `maxSamples`). */
  get capacity(): number {
    return this.#data.length;
  }

  /** Appends samples; throws QUEUE_FULL (keeping nothing of them) when they do not fit. */
  append(samples: Float32Array): void {
    const needed = this.#length + samples.length;
    if (needed > this.maxSamples) {
      throw new EngineError(
        'QUEUE_FULL',
        `The audio buffer is full (${Math.round(this.maxSamples / 16)} ms not yet transcribed).`,
      );
    }
    if (this.#offset + needed > this.#data.length) {
      if (needed > this.#data.length) {
        const grown = new Float32Array(
          Math.min(this.maxSamples, Math.max(needed, this.#data.length * 2, 16_000)),
        );
        grown.set(this.#data.subarray(this.#offset, this.#offset + this.#length));
        this.#data = grown;
      } else {
        this.#data.copyWithin(0, this.#offset, this.#offset + this.#length);
      }
      this.#offset = 0;
    }
    this.#data.set(samples, this.#offset + this.#length);
    this.#length = needed;
  }

  /** A copy of the samples [from, to) (absolute indices, clamped to what is kept). */
  read(from: number, to: number): Float32Array {
    const a = Math.max(from, this.#start) - this.#start;
    const b = Math.min(to, this.end) - this.#start;
    return this.#data.slice(this.#offset + a, this.#offset + Math.max(a, b));
  }

  /** Drops every sample before the absolute index `index`. */
  trimBefore(index: number): void {
    const drop = Math.min(this.#length, Math.max(0, index - this.#start));
    this.#offset += drop;
    this.#length -= drop;
    this.#start += drop;
  }

  /** Frees the storage; the buffer stays usable (and empty). */
  clear(): void {
    this.#start = this.end;
    this.#data = new Float32Array(0);
    this.#offset = 0;
    this.#length = 0;
  }
}

/**
 * One binary frame of signed 16-bit little-endian PCM → floats in [-1, 1). Throws
 * INVALID_ARGUMENT for an odd byte count (half a sample: the stream is misaligned or not PCM16)
 * and for a frame longer than `maxSamples`.
 */
export function parsePcmFrame(bytes: Uint8Array, maxSamples: number): Float32Array {
  if (bytes.byteLength % 2 !== 0) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `An audio frame has ${bytes.byteLength} bytes, an odd number: frames must hold whole 16-bit samples (pcm_s16le).`,
    );
  }
  if (bytes.byteLength / 2 > maxSamples) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `An audio frame holds ${bytes.byteLength / 2} samples, more than the ${maxSamples} allowed: send at most ${Math.round(maxSamples / 16)} ms per frame.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(2 * i, true) / 32768;
  return out;
}
