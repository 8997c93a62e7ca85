import FFT from 'fft.js';

/**
 * Power spectra of real frames (fft.js's radix-4 real transform). The transform's tables and
 * buffers are made once per size; `powerSpectrum` allocates nothing.
 */
export class PowerSpectrum {
  readonly size: number;
  readonly #fft: FFT;
  readonly #input: Float64Array;
  /** Interleaved re, im of the spectrum (fft.js's complex array). */
  readonly #spectrum: number[];

  /** `size`: the FFT length, a power of two ≥ 4 (fft.js's smallest). */
  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 4 && (size & (size - 1)) === 0)) {
      throw new RangeError(`FFT size must be a power of two ≥ 4, not ${size}`);
    }
    this.size = size;
    this.#fft = new FFT(size);
    this.#input = new Float64Array(size);
    this.#spectrum = this.#fft.createComplexArray() as number[];
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
    const input = this.#input;
    for (let i = 0; i < n; i++) input[i] = i < frame.length ? frame[i]! : 0;
    // The real transform fills only bins 0 … n/2, which is all a power spectrum needs.
    this.#fft.realTransform(this.#spectrum, input);
    const s = this.#spectrum;
    for (let k = 0; k <= n / 2; k++) out[k] = s[2 * k]! * s[2 * k]! + s[2 * k + 1]! * s[2 * k + 1]!;
  }
}
