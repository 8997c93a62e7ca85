import { describe, expect, it } from 'vitest';
import { createFramePacker } from './frame-packer';

const ramp = (from: number, count: number) =>
  Float32Array.from({ length: count }, (_, i) => from + i);

describe('createFramePacker', () => {
  it('emits frames of exactly the frame size, in order, across chunk boundaries', () => {
    const packer = createFramePacker(4);
    expect(packer.push(ramp(0, 3))).toEqual([]);
    const frames = packer.push(ramp(3, 7)); // samples 3..9: completes 0..3 and 4..7
    expect(frames.map((f) => Array.from(f))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(packer.push(ramp(10, 2)).map((f) => Array.from(f))).toEqual([[8, 9, 10, 11]]);
  });

  it('copies the input, so a reused input buffer does not change queued samples', () => {
    const packer = createFramePacker(4);
    const input = ramp(0, 2);
    packer.push(input);
    input.fill(-1);
    const [frame] = packer.push(ramp(2, 2));
    expect(Array.from(frame!)).toEqual([0, 1, 2, 3]);
  });

  it('hands out a fresh array for every frame', () => {
    const packer = createFramePacker(2);
    const [a, b] = packer.push(ramp(0, 4));
    expect(a).not.toBe(b);
    expect(Array.from(a!)).toEqual([0, 1]);
  });

  it('refuses a frame size that is not a positive integer', () => {
    expect(() => createFramePacker(0)).toThrow(RangeError);
    expect(() => createFramePacker(1.5)).toThrow(RangeError);
  });
});
