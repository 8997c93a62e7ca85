import { describe, expect, it } from 'vitest';
import { float16ToNumber, float32ToFloat16, hashString, Xoshiro128 } from './random';

const toHalf = (values: number[]) => {
  const out = new Uint16Array(values.length);
  float32ToFloat16(Float32Array.from(values), out);
  return Array.from(out);
};

describe('float32ToFloat16', () => {
  it('converts exact values, limits and specials', () => {
    expect(toHalf([0, -0, 1, -2, 0.5, 65504, 0.1])).toEqual([
      0x0000, 0x8000, 0x3c00, 0xc000, 0x3800, 0x7bff, 0x2e66,
    ]);
    expect(toHalf([65520, -1e6, Infinity, -Infinity])).toEqual([0x7c00, 0xfc00, 0x7c00, 0xfc00]);
    expect(toHalf([NaN])[0]! & 0x7e00).toBe(0x7e00);
  });

  it('rounds to nearest even, also into and out of subnormals', () => {
    expect(toHalf([1 + 2 ** -11, 1 + 3 * 2 ** -11])).toEqual([0x3c00, 0x3c02]);
    expect(toHalf([2 ** -24, 2 ** -25, 1.5 * 2 ** -25, 2 ** -14 - 2 ** -25])).toEqual([
      0x0001, 0x0000, 0x0001, 0x0400,
    ]);
  });

  it('stays within half a unit in the last place on random values', () => {
    const values = new Float32Array(100_000);
    new Xoshiro128(5).fillUniform(values, 10);
    const halves = new Uint16Array(values.length);
    float32ToFloat16(values, halves);
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      const back = float16ToNumber(halves[i]!);
      const ulp = 2 ** (Math.max(Math.floor(Math.log2(Math.abs(x))), -14) - 10);
      expect(Math.abs(back - x)).toBeLessThanOrEqual(ulp / 2);
    }
  });
});

describe('Xoshiro128', () => {
  it('repeats for a seed and stream, differs otherwise', () => {
    const draw = (seed: number, stream: number) => {
      const r = new Xoshiro128(seed, stream);
      return Array.from({ length: 4 }, () => r.nextUint32());
    };
    expect(draw(1, 2)).toEqual(draw(1, 2));
    expect(draw(1, 2)).not.toEqual(draw(2, 2));
    expect(draw(1, 2)).not.toEqual(draw(1, 3));
    expect(draw(2 ** 40, 0)).not.toEqual(draw(0, 0));
    expect(hashString('encoder.conv1.weight')).not.toBe(hashString('encoder.conv2.weight'));
  });

  it('fills centred uniform noise with the asked standard deviation', () => {
    const values = new Float32Array(200_000);
    new Xoshiro128(1).fillUniform(values, 0.5);
    let sum = 0;
    let squares = 0;
    let max = 0;
    for (const v of values) {
      sum += v;
      squares += v * v;
      max = Math.max(max, Math.abs(v));
    }
    const mean = sum / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.sqrt(squares / values.length - mean * mean)).toBeCloseTo(0.5, 2);
    expect(max).toBeLessThanOrEqual(0.5 * Math.sqrt(3));
  });
});
