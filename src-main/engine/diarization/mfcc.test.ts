import { describe, expect, it } from 'vitest';
import { random, synthSpeech, voiceHigh, voiceLow } from './__fixtures__/synthetic-voices';
import { MfccStream } from './mfcc';

function allFrames(stream: MfccStream, pieces: Float32Array[]): Float64Array[] {
  const frames: Float64Array[] = [];
  for (const piece of pieces) stream.push(piece, (c) => frames.push(Float64Array.from(c)));
  return frames;
}

function meanOf(frames: Float64Array[]): number[] {
  return Array.from(frames[0]!, (_, c) => frames.reduce((s, f) => s + f[c]!, 0) / frames.length);
}

/** A noise whose colour is set by a one-pole filter: a > 0 darkens it, a < 0 brightens it. */
function colouredNoise(seconds: number, a: number, seed: number): Float32Array {
  const next = random(seed);
  const out = new Float32Array(seconds * 16_000);
  let y = 0;
  for (let i = 0; i < out.length; i++) {
    y = next() - 0.5 + a * y;
    out[i] = 0.1 * y;
  }
  return out;
}

describe('MfccStream', () => {
  it('gives the same frames whatever the piece sizes', () => {
    const pcm = synthSpeech(voiceLow, 1, 3);
    const whole = allFrames(new MfccStream(), [pcm]);
    // 16000 samples, 400-sample frames every 160: floor((16000 − 400) / 160) + 1 = 98 frames.
    expect(whole).toHaveLength(98);
    expect(whole[0]).toHaveLength(20);
    const pieces = [7, 393, 1, 5000, 160, 10_439].map((n, i, all) => {
      const at = all.slice(0, i).reduce((s, x) => s + x, 0);
      return pcm.subarray(at, at + n);
    });
    const pieced = allFrames(new MfccStream(), pieces);
    expect(pieced).toHaveLength(98);
    pieced.forEach((frame, i) => expect([...frame]).toEqual([...whole[i]!]));
  });

  it('drops a partial frame on reset', () => {
    const stream = new MfccStream();
    const pcm = synthSpeech(voiceLow, 0.1, 3);
    expect(allFrames(stream, [pcm.subarray(0, 399)])).toHaveLength(0);
    stream.reset();
    expect(allFrames(stream, [pcm.subarray(0, 399)])).toHaveLength(0);
    expect(allFrames(stream, [pcm.subarray(0, 1)])).toHaveLength(1);
  });

  it('moves only c0 when the level changes', () => {
    const pcm = synthSpeech(voiceHigh, 0.5, 5);
    const louder = pcm.map((x) => 4 * x);
    const a = allFrames(new MfccStream(), [pcm]);
    const b = allFrames(new MfccStream(), [louder]);
    // ×4 in amplitude is ×16 in power: every log-mel band rises by ln 16, and with the
    // orthonormal DCT c0 rises by ln 16 · √40 while c1 … c19 stay put.
    a.forEach((frame, i) => {
      expect(b[i]![0]! - frame[0]!).toBeCloseTo(Math.log(16) * Math.sqrt(40), 6);
      for (let c = 1; c < 20; c++) expect(b[i]![c]!).toBeCloseTo(frame[c]!, 6);
    });
  });

  it('tells dark noise from bright noise, and two voices apart, by c1', () => {
    const dark = meanOf(allFrames(new MfccStream(), [colouredNoise(1, 0.9, 1)]));
    const bright = meanOf(allFrames(new MfccStream(), [colouredNoise(1, -0.9, 2)]));
    // c1 weighs low bands up and high bands down: large for energy in the lows.
    expect(dark[1]! - bright[1]!).toBeGreaterThan(10);
    const low = meanOf(allFrames(new MfccStream(), [synthSpeech(voiceLow, 2, 1)]));
    const high = meanOf(allFrames(new MfccStream(), [synthSpeech(voiceHigh, 2, 2)]));
    const distance = Math.sqrt(low.slice(1).reduce((s, x, c) => s + (x - high[c + 1]!) ** 2, 0));
    const sameVoice = meanOf(allFrames(new MfccStream(), [synthSpeech(voiceLow, 2, 9)]));
    const within = Math.sqrt(low.slice(1).reduce((s, x, c) => s + (x - sameVoice[c + 1]!) ** 2, 0));
    // Measured: 7.3 between the voices, 3.5 between two takes of one voice (different vowels).
    expect(distance).toBeGreaterThan(1.5 * within);
  });

  it('refuses impossible settings', () => {
    expect(() => new MfccStream({ frameSamples: 600 })).toThrow(RangeError);
    expect(() => new MfccStream({ maxHz: 9000 })).toThrow(RangeError);
    expect(() => new MfccStream({ coefficients: 41 })).toThrow(RangeError);
  });
});
