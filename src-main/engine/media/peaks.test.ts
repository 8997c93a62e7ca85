import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegRun, speech, tempDir } from './__fixtures__/media-fixtures';
import { decodeAll } from './decode';
import { resolveFfmpegTools, type FfmpegTools } from './ffmpeg-tools';
import { computePeaks, getPeaksCached, peaksCacheFile } from './peaks';

let tools: FfmpegTools;
let dir: string;
let remove: () => Promise<void>;
const input = (name: string) => path.join(dir, name);

beforeAll(async () => {
  tools = await resolveFfmpegTools();
  ({ dir, remove } = await tempDir());
  const lavfi = (source: string) => ['-f', 'lavfi', '-i', source];
  await Promise.all([
    // 65 s, longer than one 30 s decode chunk, with a loudness ramp repeating every 7 s.
    ffmpegRun(tools, [
      ...lavfi("aevalsrc='0.9*sin(2*PI*440*t)*mod(t,7)/7':s=16000:d=65"),
      '-c:a',
      'flac',
      input('ramp.flac'),
    ]),
    ffmpegRun(tools, [...lavfi('anullsrc=r=16000:cl=mono'), '-t', '3', input('silence.wav')]),
  ]);
});
afterAll(() => remove());

/** Straightforward reference: the signed sample of largest magnitude in each bucket. */
function referencePeaks(samples: Float32Array, samplesPerPeak: number): Float32Array {
  const peaks = new Float32Array(Math.ceil(samples.length / samplesPerPeak));
  for (let i = 0; i < samples.length; i++) {
    const bucket = Math.floor(i / samplesPerPeak);
    const value = samples[i] ?? 0;
    if (Math.abs(value) > Math.abs(peaks[bucket] ?? 0)) peaks[bucket] = value;
  }
  return peaks.map((v) => Math.max(-1, Math.min(1, v)));
}

describe('computePeaks', () => {
  it('gives 100 peaks per second by default, matching the decoded samples', async () => {
    const result = await computePeaks(tools, speech.jfk);
    const samples = await decodeAll(tools, speech.jfk);
    expect(result).toMatchObject({ sampleRate: 16000, samplesPerPeak: 160, durationSec: 11 });
    expect(result.peaks.length).toBe(Math.ceil(samples.length / 160));
    expect(result.peaks).toEqual(referencePeaks(samples, 160));
    expect(result.peaks.every((v) => v >= -1 && v <= 1)).toBe(true);
    expect(result.peaks.some((v) => Math.abs(v) > 0.1)).toBe(true);
  });

  it('handles bucket sizes that divide neither the chunks nor the total, over several chunks', async () => {
    const samples = await decodeAll(tools, input('ramp.flac'));
    expect(samples.length).toBe(65 * 16000);
    const result = await computePeaks(tools, input('ramp.flac'), { samplesPerPeak: 333 });
    expect(result.peaks.length).toBe(Math.ceil(samples.length / 333));
    expect(result.peaks).toEqual(referencePeaks(samples, 333));
    expect(result.durationSec).toBe(65);
  });

  it('gives zeros for silence', async () => {
    const result = await computePeaks(tools, input('silence.wav'), { samplesPerPeak: 1000 });
    expect(result.peaks.length).toBe(48);
    expect(result.peaks.every((v) => v === 0)).toBe(true);
  });

  it('rejects a bad samplesPerPeak and honours abort', async () => {
    await expect(computePeaks(tools, speech.jfk, { samplesPerPeak: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      computePeaks(tools, speech.jfk, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('getPeaksCached', () => {
  const missingMedia = () => input('no-such-media.wav');

  it('stores peaks on a miss and serves them on a hit without decoding', async () => {
    const cacheDir = input('cache-hit/nested');
    const first = await getPeaksCached(tools, speech.jfk, cacheDir, 'jfk');
    expect(first.peaks).toEqual((await computePeaks(tools, speech.jfk)).peaks);
    const file = peaksCacheFile(cacheDir, 'jfk');
    expect(file).toBe(path.join(cacheDir, 'jfk.peaks'));
    const written = await stat(file);
    expect(written.size).toBe(32 + 4 * first.peaks.length);

    // The media path no longer exists: only a cache hit can succeed.
    const second = await getPeaksCached(tools, missingMedia(), cacheDir, 'jfk');
    expect(second).toEqual(first);
    expect((await stat(file)).mtimeMs).toBe(written.mtimeMs);
    expect(await readdir(cacheDir)).toEqual(['jfk.peaks']);
  });

  it('recomputes when the cached samplesPerPeak differs', async () => {
    const cacheDir = input('cache-spp');
    await getPeaksCached(tools, speech.jfk, cacheDir, 'jfk');
    await expect(
      getPeaksCached(tools, missingMedia(), cacheDir, 'jfk', { samplesPerPeak: 320 }),
    ).rejects.toMatchObject({ code: 'DECODE_FAILED' });
    const coarse = await getPeaksCached(tools, speech.jfk, cacheDir, 'jfk', {
      samplesPerPeak: 320,
    });
    expect(coarse.peaks.length).toBe(550);
    expect(
      await getPeaksCached(tools, missingMedia(), cacheDir, 'jfk', { samplesPerPeak: 320 }),
    ).toEqual(coarse);
  });

  it.each([
    ['a flipped payload byte', (bytes: Buffer) => (bytes[100] = (bytes[100] ?? 0) ^ 0xff)],
    ['a flipped header byte', (bytes: Buffer) => (bytes[2] = (bytes[2] ?? 0) ^ 0xff)],
    ['garbage', (bytes: Buffer) => bytes.fill(7)],
  ])('recomputes a cache file damaged by %s', async (_label, damage) => {
    const cacheDir = input(`cache-${_label.replaceAll(' ', '-')}`);
    const original = await getPeaksCached(tools, speech.jfk, cacheDir, 'jfk');
    const file = peaksCacheFile(cacheDir, 'jfk');
    const bytes = await readFile(file);
    damage(bytes);
    await writeFile(file, bytes);

    await expect(getPeaksCached(tools, missingMedia(), cacheDir, 'jfk')).rejects.toMatchObject({
      code: 'DECODE_FAILED',
    });
    expect(await getPeaksCached(tools, speech.jfk, cacheDir, 'jfk')).toEqual(original);
    expect(await getPeaksCached(tools, missingMedia(), cacheDir, 'jfk')).toEqual(original);
  });

  it('recomputes a truncated cache file', async () => {
    const cacheDir = input('cache-truncated');
    const original = await getPeaksCached(tools, speech.jfk, cacheDir, 'jfk');
    const file = peaksCacheFile(cacheDir, 'jfk');
    await truncate(file, 1000);
    expect(await getPeaksCached(tools, speech.jfk, cacheDir, 'jfk')).toEqual(original);
    expect((await stat(file)).size).toBe(32 + 4 * original.peaks.length);
  });

  it('rejects keys that are not plain file names', () => {
    for (const key of ['../escape', 'a/b', '', 'x'.repeat(201)]) {
      expect(() => peaksCacheFile(dir, key)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
  });
});
