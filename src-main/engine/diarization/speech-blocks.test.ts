import { describe, expect, it } from 'vitest';
import { synthSpeech, voiceLow } from './__fixtures__/synthetic-voices';
import { MfccStream } from './mfcc';
import { SpeechBlockCollector, type SpeechBlock } from './speech-blocks';

const SR = 16_000;
const audio = synthSpeech(voiceLow, 6, 11);
const regions = [
  { start: 1, end: 2.3 },
  { start: 3, end: 3.6 },
  { start: 4, end: 4.01 },
  { start: 5, end: 5.2 },
];

function collect(pieceSamples: number): SpeechBlock[] {
  const collector = new SpeechBlockCollector(regions);
  for (let at = 0; at < audio.length; at += pieceSamples) {
    collector.push(audio.subarray(at, at + pieceSamples));
  }
  return collector.finish();
}

describe('SpeechBlockCollector', () => {
  it('cuts each region into 0.5 s blocks (hand case)', () => {
    const blocks = collect(audio.length);
    // Region 0: 1.3 s = 20 800 samples → floor((20800 − 400) / 160) + 1 = 128 frames = 50 + 50 +
    // 28, and 28 ≥ 25 keeps its own block. Region 1: 9 600 samples → 58 frames = 50 + 8, and the 8
    // join the first block. Region 2: 160 samples, no frame. Region 3: 3 200 samples → 18 frames,
    // a block of its own as the region's only one.
    expect(
      blocks.map(({ start, end, region, frames }) => ({ start, end, region, frames })),
    ).toEqual([
      { start: 1, end: 1.5, region: 0, frames: 50 },
      { start: 1.5, end: 2, region: 0, frames: 50 },
      { start: 2, end: 2.3, region: 0, frames: 28 },
      { start: 3, end: 3.6, region: 1, frames: 58 },
      { start: 5, end: 5.2, region: 3, frames: 18 },
    ]);
  });

  it('sums c1 … c19 of the frames of each block', () => {
    const blocks = collect(audio.length);
    const frames: Float64Array[] = [];
    new MfccStream().push(audio.subarray(SR, Math.round(2.3 * SR)), (c) => frames.push(c.slice()));
    const third = blocks[2]!;
    expect(third.sum).toHaveLength(19);
    for (let c = 0; c < 19; c++) {
      const expected = frames.slice(100, 128).reduce((s, f) => s + f[c + 1]!, 0);
      expect(third.sum[c]).toBeCloseTo(expected, 9);
    }
  });

  it('gives the same blocks whatever the piece sizes', () => {
    const whole = collect(audio.length);
    expect(collect(1234)).toEqual(whole);
    expect(collect(160)).toEqual(whole);
  });

  it('is done after the last region, and reports progress up to it', () => {
    const collector = new SpeechBlockCollector(regions);
    collector.push(audio.subarray(0, Math.round(2.6 * SR)));
    expect(collector.done).toBe(false);
    expect(collector.progress).toBeCloseTo(2.6 / 5.2, 9);
    collector.push(audio.subarray(Math.round(2.6 * SR), Math.round(5.2 * SR)));
    expect(collector.done).toBe(true);
    expect(collector.progress).toBe(1);
    expect(collector.finish()).toHaveLength(5);
  });

  it('ends a region where the audio ends', () => {
    const collector = new SpeechBlockCollector([
      { start: 1, end: 3 },
      { start: 4, end: 5 },
    ]);
    collector.push(audio.subarray(0, 2 * SR));
    // 1 s of the region: 98 frames = 50 + 48, the second block ending with the audio at 2 s.
    expect(collector.finish().map(({ start, end, frames }) => [start, end, frames])).toEqual([
      [1, 1.5, 50],
      [1.5, 2, 48],
    ]);
  });

  it('has nothing to do without regions', () => {
    const collector = new SpeechBlockCollector([]);
    expect(collector.done).toBe(true);
    expect(collector.progress).toBe(1);
    expect(collector.finish()).toEqual([]);
    expect(() => new SpeechBlockCollector([], { blockFrames: 0 })).toThrow(RangeError);
  });
});
