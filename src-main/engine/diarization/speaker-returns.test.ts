import { describe, expect, it } from 'vitest';
import { returnedSpeech, speakersReturn } from './speaker-returns';
import type { SpeechBlock } from './speech-blocks';

/** Consecutive blocks of the given lengths (seconds), from 0 s; spectra do not matter here. */
function blocksOf(...lengths: number[]): SpeechBlock[] {
  let start = 0;
  return lengths.map((length) => {
    const block = { start, end: start + length, region: 0, frames: 1, sum: new Float64Array(19) };
    start += length;
    return block;
  });
}

const halfSeconds = (n: number) => blocksOf(...Array.from({ length: n }, () => 0.5));

describe('returnedSpeech', () => {
  it('gives each label its speech outside its longest run', () => {
    // 0 runs: 1 s, 0.5 s, 1.5 s → 1.5 s returned; 1 runs: 0.5 s, 1 s → 0.5 s returned.
    const labels = Int32Array.of(0, 0, 1, 0, 1, 1, 0, 0, 0);
    expect(returnedSpeech(halfSeconds(9), labels)).toEqual(
      new Map([
        [0, 1.5],
        [1, 0.5],
      ]),
    );
  });

  it('weighs blocks by their length', () => {
    const blocks = blocksOf(2, 0.5, 0.75, 0.5);
    expect(returnedSpeech(blocks, Int32Array.of(0, 1, 0, 1)).get(0)).toBe(0.75);
  });

  it('is 0 for a label heard in one stretch', () => {
    const returned = returnedSpeech(halfSeconds(6), Int32Array.of(0, 0, 0, 1, 1, 1));
    expect([...returned.values()]).toEqual([0, 0]);
  });
});

describe('speakersReturn', () => {
  it('is true only when every cluster comes back with enough speech', () => {
    const blocks = halfSeconds(12);
    // A B A B, 1.5 s turns: each speaker has 1.5 s outside its longest turn.
    const alternating = Int32Array.of(0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1);
    expect(speakersReturn(blocks, alternating)).toBe(true);
    expect(speakersReturn(blocks, alternating, 1.6)).toBe(false);
    // A drift: an earlier and a later part, or one stretch inside the rest.
    expect(speakersReturn(blocks, Int32Array.of(0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1))).toBe(false);
    expect(speakersReturn(blocks, Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0))).toBe(false);
    // One cluster comes back, the other only for a 0.5 s blip: less than the default 1 s.
    expect(speakersReturn(blocks, Int32Array.of(0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0))).toBe(false);
  });

  it('is false for a single cluster', () => {
    expect(speakersReturn(halfSeconds(4), new Int32Array(4), 0)).toBe(false);
  });
});
