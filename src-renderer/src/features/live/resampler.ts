/** Converts a stream of samples from one rate to another, chunk by chunk. */
export interface Resampler {
  /** The output the input completes; the last few input samples wait for the next chunk. */
  process(input: Float32Array): Float32Array;
}

/**
 * Low-pass FIR taps (windowed sinc, Blackman window, odd length, unity gain at DC) passing
 * `cutoff`, a fraction of the sample rate (0..0.5).
 */
export function lowPassTaps(cutoff: number, length: number): Float32Array {
  const taps = new Float32Array(length);
  const middle = (length - 1) / 2;
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const x = i - middle;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const w = (2 * Math.PI * i) / (length - 1);
    const blackman = 0.42 - 0.5 * Math.cos(w) + 0.08 * Math.cos(2 * w);
    taps[i] = sinc * blackman;
    sum += taps[i]!;
  }
  for (let i = 0; i < length; i++) taps[i]! /= sum;
  return taps;
}

/**
 * A streaming resampler: when it downsamples, a low-pass filter at the input rate first removes
 * what lies above 85 % of the output's Nyquist frequency (so it cannot alias into speech), then
 * linear interpolation picks the output instants. The input is oversampled at least twofold
 * there, where linear interpolation is accurate. Upsampling interpolates only. The same rate in
 * and out passes the input through.
 */
export function createResampler(fromRate: number, toRate: number): Resampler {
  if (!(fromRate > 0 && toRate > 0)) {
    throw new RangeError(`Sample rates must be positive (${fromRate} → ${toRate}).`);
  }
  if (fromRate === toRate) return { process: (input) => input };
  /** Input samples per output sample. */
  const step = fromRate / toRate;
  const taps =
    step > 1 ? lowPassTaps((0.85 * 0.5) / step, 2 * Math.ceil(16 * step) + 1) : Float32Array.of(1);
  // Work buffer: the last `taps.length` input samples of the previous chunk, then the new chunk.
  const keep = taps.length;
  let work = new Float32Array(keep + 1024);
  /** The next output instant, as a (fractional) index into `work`. */
  let position = keep;

  /** The filtered signal at integer index `j` of `work` (needs j ≥ taps.length − 1). */
  const filtered = (j: number): number => {
    let sum = 0;
    for (let i = 0; i < taps.length; i++) sum += taps[i]! * work[j - i]!;
    return sum;
  };

  return {
    process(input) {
      const length = keep + input.length;
      if (work.length < length) {
        const grown = new Float32Array(length);
        grown.set(work.subarray(0, keep));
        work = grown;
      }
      work.set(input, keep);
      const output = new Float32Array(Math.max(0, Math.ceil((length - 1 - position) / step)));
      let count = 0;
      while (position + 1 < length && count < output.length) {
        const j = Math.floor(position);
        const t = position - j;
        const a = filtered(j);
        output[count++] = t === 0 ? a : a + t * (filtered(j + 1) - a);
        position += step;
      }
      // Keep the tail the filter and the next instant need, and count from its start.
      work.copyWithin(0, length - keep, length);
      position -= length - keep;
      return count === output.length ? output : output.subarray(0, count);
    },
  };
}
