/**
 * Mel-frequency cepstral coefficients over a stream of samples, frame by frame (the usual speech
 * front end: DC removal, pre-emphasis, Hamming window, power spectrum, triangular mel filters,
 * log, DCT-II). Samples may arrive in pieces of any size; a stretch of audio is fed with `push`
 * and ended with `reset`, so that frames never span two stretches (two speech regions).
 */
import { PowerSpectrum } from './fft';

export interface MfccOptions {
  /** @default 16000 */
  sampleRate?: number;
  /** Samples per frame. @default 400 (25 ms) */
  frameSamples?: number;
  /** Samples between frame starts. @default 160 (10 ms) */
  hopSamples?: number;
  /** @default 512 */
  fftSize?: number;
  /** @default DEFAULT_MEL_BANDS (40) */
  melBands?: number;
  /** @default 20 */
  minHz?: number;
  /** @default 7600 */
  maxHz?: number;
  /** Coefficients per frame, c0 (overall log level) included. @default 20 */
  coefficients?: number;
  /** @default 0.97 */
  preEmphasis?: number;
}

const FLOOR = 1e-10;

/** Mel bands of the default settings (similar-clusters.ts converts distances with it). */
export const DEFAULT_MEL_BANDS = 40;

export class MfccStream {
  readonly coefficients: number;
  readonly hopSamples: number;
  readonly frameSamples: number;
  readonly #preEmphasis: number;
  readonly #spectrum: PowerSpectrum;
  readonly #window: Float64Array;
  /** Mel filter m: weights over bins first[m] … first[m] + weights[m].length − 1. */
  readonly #filters: { first: number; weights: Float64Array }[];
  /** dct[c * melBands + m]: the orthonormal DCT-II basis. */
  readonly #dct: Float64Array;
  readonly #pending: Float32Array;
  #filled = 0;
  readonly #frame: Float64Array;
  readonly #power: Float64Array;
  readonly #logMel: Float64Array;
  readonly #out: Float64Array;

  constructor(options: MfccOptions = {}) {
    const {
      sampleRate = 16_000,
      frameSamples = 400,
      hopSamples = 160,
      fftSize = 512,
      melBands = DEFAULT_MEL_BANDS,
      minHz = 20,
      maxHz = 7600,
      coefficients = 20,
      preEmphasis = 0.97,
    } = options;
    if (!(frameSamples <= fftSize && hopSamples >= 1 && hopSamples <= frameSamples)) {
      throw new RangeError('need 1 ≤ hopSamples ≤ frameSamples ≤ fftSize');
    }
    if (!(0 <= minHz && minHz < maxHz && maxHz <= sampleRate / 2 && coefficients <= melBands)) {
      throw new RangeError('need 0 ≤ minHz < maxHz ≤ sampleRate / 2 and coefficients ≤ melBands');
    }
    this.coefficients = coefficients;
    this.hopSamples = hopSamples;
    this.frameSamples = frameSamples;
    this.#preEmphasis = preEmphasis;
    this.#spectrum = new PowerSpectrum(fftSize);
    this.#window = new Float64Array(frameSamples);
    for (let i = 0; i < frameSamples; i++) {
      this.#window[i] = 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (frameSamples - 1));
    }
    this.#filters = melFilters(melBands, fftSize, sampleRate, minHz, maxHz);
    this.#dct = new Float64Array(coefficients * melBands);
    for (let c = 0; c < coefficients; c++) {
      const scale = Math.sqrt((c === 0 ? 1 : 2) / melBands);
      for (let m = 0; m < melBands; m++) {
        this.#dct[c * melBands + m] = scale * Math.cos((Math.PI * c * (m + 0.5)) / melBands);
      }
    }
    this.#pending = new Float32Array(frameSamples);
    this.#frame = new Float64Array(frameSamples);
    this.#power = new Float64Array(fftSize / 2 + 1);
    this.#logMel = new Float64Array(melBands);
    this.#out = new Float64Array(coefficients);
  }

  /**
   * Feeds the next samples of the current stretch and calls `onFrame` for every frame completed,
   * in order. The array passed to `onFrame` is reused for the next frame: copy what you keep.
   */
  push(samples: Float32Array, onFrame: (mfcc: Float64Array) => void): void {
    for (let at = 0; at < samples.length;) {
      const n = Math.min(this.frameSamples - this.#filled, samples.length - at);
      this.#pending.set(samples.subarray(at, at + n), this.#filled);
      this.#filled += n;
      at += n;
      if (this.#filled === this.frameSamples) {
        onFrame(this.#compute());
        this.#pending.copyWithin(0, this.hopSamples);
        this.#filled -= this.hopSamples;
      }
    }
  }

  /** Ends the current stretch: samples not yet in a complete frame are dropped. */
  reset(): void {
    this.#filled = 0;
  }

  #compute(): Float64Array {
    const frame = this.#frame;
    const pending = this.#pending;
    const n = this.frameSamples;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += pending[i]!;
    mean /= n;
    // Pre-emphasis from the last sample backwards, so each step reads the un-emphasised previous.
    for (let i = n - 1; i >= 0; i--) {
      const x = pending[i]! - mean;
      const previous = (i > 0 ? pending[i - 1]! : pending[0]!) - mean;
      frame[i] = (x - this.#preEmphasis * previous) * this.#window[i]!;
    }
    this.#spectrum.powerSpectrum(frame, this.#power);
    const bands = this.#logMel.length;
    for (let m = 0; m < bands; m++) {
      const { first, weights } = this.#filters[m]!;
      let energy = 0;
      for (let k = 0; k < weights.length; k++) energy += weights[k]! * this.#power[first + k]!;
      this.#logMel[m] = Math.log(Math.max(energy, FLOOR));
    }
    for (let c = 0; c < this.coefficients; c++) {
      let sum = 0;
      for (let m = 0; m < bands; m++) sum += this.#dct[c * bands + m]! * this.#logMel[m]!;
      this.#out[c] = sum;
    }
    return this.#out;
  }
}

/** Triangular filters evenly spaced on the mel scale (HTK formula), each over its FFT bins. */
function melFilters(
  bands: number,
  fftSize: number,
  sampleRate: number,
  minHz: number,
  maxHz: number,
): { first: number; weights: Float64Array }[] {
  const mel = (hz: number) => 1127 * Math.log(1 + hz / 700);
  const lo = mel(minHz);
  const hi = mel(maxHz);
  const edges = Array.from({ length: bands + 2 }, (_, i) => lo + ((hi - lo) * i) / (bands + 1));
  const binHz = sampleRate / fftSize;
  return Array.from({ length: bands }, (_, m) => {
    const [left, centre, right] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
    const first = Math.ceil((700 * (Math.exp(left / 1127) - 1)) / binHz);
    const weights: number[] = [];
    for (let k = first; k <= fftSize / 2; k++) {
      const m = mel(k * binHz);
      if (m >= right) break;
      weights.push(m <= centre ? (m - left) / (centre - left) : (right - m) / (right - centre));
    }
    return { first, weights: Float64Array.from(weights, (w) => Math.max(0, w)) };
  });
}
