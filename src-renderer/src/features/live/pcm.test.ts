import { describe, expect, it } from 'vitest';
import { downmix, toPcm16 } from './pcm';

describe('toPcm16', () => {
  it('scales −1..1 to the full signed 16-bit range, rounding', () => {
    expect(Array.from(toPcm16(Float32Array.of(0, 1, -1, 0.5, -0.5, 1e-5)))).toEqual([
      0, 32767, -32768, 16384, -16384, 0,
    ]);
  });

  it('clips what lies outside −1..1 instead of wrapping around', () => {
    expect(Array.from(toPcm16(Float32Array.of(1.5, -3, 1.00001)))).toEqual([32767, -32768, 32767]);
  });

  it('lays the samples out little-endian, as pcm_s16le expects', () => {
    const bytes = new Uint8Array(toPcm16(Float32Array.of(1, -1)).buffer);
    expect(Array.from(bytes)).toEqual([0xff, 0x7f, 0x00, 0x80]);
  });
});

describe('downmix', () => {
  it('averages the channels', () => {
    expect(Array.from(downmix([Float32Array.of(1, 0.5, 0), Float32Array.of(0, 0.5, -1)]))).toEqual([
      0.5, 0.5, -0.5,
    ]);
  });

  it('passes a single channel through and gives nothing for no channels', () => {
    const mono = Float32Array.of(0.25, -0.25);
    expect(downmix([mono])).toBe(mono);
    expect(downmix([])).toHaveLength(0);
  });
});
