/**
 * Power spectra of real frames with an iterative radix-2 FFT. Twiddle factors and the
 * bit-reversal permutation are computed once per size; `powerSpectrum` allocates nothing.
 */
export class PowerSpectrum {
  readonly size: number;
  readonly #reversed: Uint32Array;
  readonly #cos: Float64Array;
  readonly #sin: Float64Array;
  readonly #re: Float64Array;
  readonly #im: Float64Array;

  /** `size`: the FFT length, a power of two ≥ 2. */
  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 2 && (size & (size - 1)) === 0)) {
      throw new RangeError(`FFT size must be a power of two ≥ 2, not ${size}`);
    }
    this.size = size;
    const bits = Math.log2(size);
    this.#reversed = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.#reversed[i] = r;
    }
    this.#cos = new Float64Array(size / 2);
    this.#sin = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) {
      this.#cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.#sin[k] = -Math.sin((2 * Math.PI * k) / size);
    }
    this.#re = new Float64Array(size);
    this.#im = new Float64Array(size);
  }

  /**
   * Writes |X[k]|² for k = 0 … size/2 of the DFT of `frame` into `out` (length size/2 + 1).
   * `frame` shorter than the size is zero-padded.
   */
  powerSpectrum(frame: ArrayLike<number>, out: Float64Array): void {
    const n = this.size;
    if (frame.length > n || out.length !== n / 2 + 1) {
      throw new RangeError(`need a frame of at most ${n} samples and an output of ${n / 2 + 1}`);
    }
    const re = this.#re;
    const im = this.#im;
    const reversed = this.#reversed;
    for (let i = 0; i < n; i++) {
      const j = reversed[i]!;
      re[j] = i < frame.length ? frame[i]! : 0;
      im[j] = 0;
    }
    for (let half = 1; half < n; half *= 2) {
      const step = n / (2 * half);
      for (let start = 0; start < n; start += 2 * half) {
        for (let k = 0; k < half; k++) {
          const wr = this.#cos[k * step]!;
          const wi = this.#sin[k * step]!;
          const a = start + k;
          const b = a + half;
          const tr = re[b]! * wr - im[b]! * wi;
          const ti = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - tr;
          im[b] = im[a]! - ti;
          re[a] = re[a]! + tr;
          im[a] = im[a]! + ti;
        }
      }
    }
    for (let k = 0; k <= n / 2; k++) out[k] = re[k]! * re[k]! + im[k]! * im[k]!;
  }
}
