import { describe, expect, it } from 'vitest';
import { random } from './__fixtures__/synthetic-voices';
import { PowerSpectrum } from './fft';

/** |X[k]|² by the definition of the DFT, O(n²). */
function naivePower(frame: number[], size: number): number[] {
  return Array.from({ length: size / 2 + 1 }, (_, k) => {
    let re = 0;
    let im = 0;
    frame.forEach((x, t) => {
      re += x * Math.cos((2 * Math.PI * k * t) / size);
      im -= x * Math.sin((2 * Math.PI * k * t) / size);
    });
    return re * re + im * im;
  });
}

describe('PowerSpectrum', () => {
  it('matches the DFT definition on random frames, zero-padded or not', () => {
    const next = random(7);
    for (const [size, length] of [
      [8, 8],
      [64, 50],
      [512, 400],
    ] as const) {
      const frame = Array.from({ length }, () => next() - 0.5);
      const out = new Float64Array(size / 2 + 1);
      new PowerSpectrum(size).powerSpectrum(frame, out);
      const expected = naivePower(frame, size);
      out.forEach((p, k) => expect(p).toBeCloseTo(expected[k]!, 8));
    }
  });

  it('puts a sine on its bin', () => {
    const fft = new PowerSpectrum(256);
    const out = new Float64Array(129);
    fft.powerSpectrum(
      Array.from({ length: 256 }, (_, t) => Math.sin((2 * Math.PI * 20 * t) / 256)),
      out,
    );
    const peak = out.indexOf(Math.max(...out));
    expect(peak).toBe(20);
    // A whole number of periods: all the energy is in that bin, (N/2)² = 16384.
    expect(out[20]).toBeCloseTo(16384, 6);
    expect(out[19]).toBeCloseTo(0, 6);
  });

  it('refuses sizes that are not powers of two and mismatched buffers', () => {
    expect(() => new PowerSpectrum(300)).toThrow(RangeError);
    expect(() => new PowerSpectrum(1)).toThrow(RangeError);
    expect(() =>
      new PowerSpectrum(8).powerSpectrum(new Array(9).fill(0), new Float64Array(5)),
    ).toThrow(RangeError);
    expect(() => new PowerSpectrum(8).powerSpectrum([1], new Float64Array(4))).toThrow(RangeError);
  });
});
