import { describe, expect, it } from 'vitest';
import { describeLevel, measureLevel, meterPercent } from './level';

describe('measureLevel', () => {
  it('gives the RMS and the peak', () => {
    const level = measureLevel(Float32Array.of(0.5, -0.5, 0.5, -1));
    expect(level.rms).toBeCloseTo(Math.sqrt((0.25 * 3 + 1) / 4));
    expect(level.peak).toBe(1);
  });

  it('a full-scale sine has an RMS of 1/√2', () => {
    const sine = Float32Array.from({ length: 1600 }, (_, i) => Math.sin((2 * Math.PI * i) / 16));
    expect(measureLevel(sine).rms).toBeCloseTo(Math.SQRT1_2, 3);
  });

  it('silence and an empty frame read 0', () => {
    expect(measureLevel(new Float32Array(160))).toEqual({ rms: 0, peak: 0 });
    expect(measureLevel(new Float32Array(0))).toEqual({ rms: 0, peak: 0 });
  });
});

describe('meterPercent', () => {
  it('maps −60..0 dBFS onto 0..100', () => {
    expect(meterPercent(1)).toBe(100);
    expect(meterPercent(0.1)).toBe(67); // −20 dB
    expect(meterPercent(0.001)).toBe(0); // −60 dB
    expect(meterPercent(0)).toBe(0);
    expect(meterPercent(2)).toBe(100);
  });
});

describe('describeLevel', () => {
  it('says the levels in dB, or Silent', () => {
    expect(describeLevel({ rms: 0.1, peak: 0.5 })).toBe('−20 dB, peaks −6 dB');
    expect(describeLevel({ rms: 0, peak: 0 })).toBe('Silent');
  });
});
