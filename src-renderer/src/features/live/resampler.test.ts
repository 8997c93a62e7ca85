import { describe, expect, it } from 'vitest';
import { measureLevel } from './level';
import { createResampler, lowPassTaps } from './resampler';

const sine = (hz: number, rate: number, seconds: number) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) =>
    Math.sin((2 * Math.PI * hz * i) / rate),
  );

/** Feeds `input` in chunks of `chunk` samples and joins the output. */
function run(fromRate: number, toRate: number, input: Float32Array, chunk = 128): Float32Array {
  const resampler = createResampler(fromRate, toRate);
  const parts: Float32Array[] = [];
  for (let at = 0; at < input.length; at += chunk) {
    parts.push(resampler.process(input.subarray(at, at + chunk)));
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Amplitude of frequency `hz` in `signal` (a single-bin DFT), skipping the start-up. */
function amplitudeAt(signal: Float32Array, hz: number, rate: number, skip = 200): number {
  let re = 0;
  let im = 0;
  const n = signal.length - skip;
  for (let i = skip; i < signal.length; i++) {
    re += signal[i]! * Math.cos((2 * Math.PI * hz * i) / rate);
    im += signal[i]! * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / n;
}

describe('createResampler', () => {
  it('passes the input through when the rates are equal', () => {
    const input = sine(440, 16_000, 0.01);
    expect(createResampler(16_000, 16_000).process(input)).toBe(input);
  });

  it.each([48_000, 44_100, 96_000])(
    'turns %i Hz into 16 kHz: one output sample per step of input',
    (rate) => {
      const out = run(rate, 16_000, sine(300, rate, 1));
      expect(Math.abs(out.length - 16_000)).toBeLessThanOrEqual(1);
    },
  );

  it('gives the same output whatever the chunk sizes', () => {
    const input = sine(1000, 44_100, 0.2);
    const whole = run(44_100, 16_000, input, input.length);
    const chunked = run(44_100, 16_000, input, 37);
    expect(chunked.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(chunked[i]).toBeCloseTo(whole[i]!, 5);
  });

  it('keeps speech frequencies: a 1 kHz tone comes out at 1 kHz, full strength', () => {
    const out = run(48_000, 16_000, sine(1000, 48_000, 0.5));
    expect(amplitudeAt(out, 1000, 16_000)).toBeGreaterThan(0.97);
    expect(amplitudeAt(out, 1000, 16_000)).toBeLessThan(1.03);
  });

  it('keeps 3.4 kHz (the top of telephone speech) within 1 dB, from 44.1 kHz', () => {
    const out = run(44_100, 16_000, sine(3400, 44_100, 0.5));
    expect(amplitudeAt(out, 3400, 16_000)).toBeGreaterThan(0.89);
  });

  it('removes what lies above the new Nyquist frequency instead of folding it into speech', () => {
    // 12 kHz at 48 kHz would alias to 4 kHz at 16 kHz without the low-pass filter.
    const out = run(48_000, 16_000, sine(12_000, 48_000, 0.5));
    expect(amplitudeAt(out, 4000, 16_000)).toBeLessThan(0.01);
    expect(measureLevel(out.subarray(200)).rms).toBeLessThan(0.01);
  });

  it('upsamples by interpolation', () => {
    const out = run(8000, 16_000, sine(500, 8000, 0.5));
    // The instants after the last input sample wait for the next one.
    expect(8000 - out.length).toBeGreaterThanOrEqual(0);
    expect(8000 - out.length).toBeLessThanOrEqual(2);
    expect(amplitudeAt(out, 500, 16_000)).toBeGreaterThan(0.97);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => createResampler(0, 16_000)).toThrow(RangeError);
  });
});

describe('lowPassTaps', () => {
  it('has unity gain at DC and is symmetric', () => {
    const taps = lowPassTaps(0.1, 31);
    expect(taps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    for (let i = 0; i < 15; i++) expect(taps[i]).toBeCloseTo(taps[30 - i]!, 7);
  });
});
