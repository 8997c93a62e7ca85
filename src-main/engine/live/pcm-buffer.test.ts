import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import { parsePcmFrame, PcmBuffer } from './pcm-buffer';

/** `n` samples whose values are their absolute indices (exact in a float32 below 2^24). */
const ramp = (from: number, n: number) => Float32Array.from({ length: n }, (_, i) => from + i);

describe('the live audio buffer', () => {
  it('keeps its storage bounded over a long stream while reads return the right samples', () => {
    const buffer = new PcmBuffer(160_000); // 10 s
    let written = 0;
    // 10 minutes in 100 ms frames, trimmed to the last 5 s as a session does.
    for (let frame = 0; frame < 6000; frame++) {
      buffer.append(ramp(written, 1600));
      written += 1600;
      buffer.trimBefore(written - 80_000);
      expect(buffer.capacity).toBeLessThanOrEqual(160_000);
    }
    expect(buffer.end).toBe(written);
    expect(buffer.length).toBe(80_000);
    expect(Array.from(buffer.read(written - 3, written + 10))).toEqual([
      written - 3,
      written - 2,
      written - 1,
    ]);
    expect(buffer.read(0, 10)).toHaveLength(0);
  });

  it('refuses audio beyond its bound without keeping any of it', () => {
    const buffer = new PcmBuffer(1000);
    buffer.append(ramp(0, 900));
    let error: unknown;
    try {
      buffer.append(ramp(900, 200));
    } catch (caught) {
      error = caught;
    }
    expect(isEngineError(error, 'QUEUE_FULL')).toBe(true);
    expect(buffer.end).toBe(900);
    buffer.clear();
    expect(buffer.capacity).toBe(0);
    expect(buffer.start).toBe(900);
  });

  it('reads pcm_s16le frames and refuses odd or oversized ones', () => {
    const bytes = Buffer.alloc(6);
    bytes.writeInt16LE(-32768, 0);
    bytes.writeInt16LE(16384, 2);
    bytes.writeInt16LE(32767, 4);
    // An unaligned view, as a frame inside a larger buffer can be.
    const unaligned = Buffer.concat([Buffer.alloc(1), bytes]).subarray(1);
    expect(Array.from(parsePcmFrame(unaligned, 16_000))).toEqual([-1, 0.5, 32767 / 32768]);
    expect(() => parsePcmFrame(Buffer.alloc(5), 16_000)).toThrow(/odd number/);
    expect(() => parsePcmFrame(Buffer.alloc(32_002), 16_000)).toThrow(/at most 1000 ms/);
  });
});
