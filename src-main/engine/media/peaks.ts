/**
 * Waveform peaks for the editor's timeline, computed in one streaming pass over the decoded audio
 * (memory: one decode chunk plus the peaks themselves, about 1.4 MB per hour at the default).
 */
import path from 'node:path';
import { EngineError } from '../errors';
import { DECODE_SAMPLE_RATE, decodeAudio } from './decode';
import type { FfmpegTools } from './ffmpeg-tools';
import { readPeaksFile, writePeaksFile, type Peaks } from './peaks-file';

export type { Peaks };

export interface PeaksOptions {
  /** Decoded samples summarised by each peak. @default 160 (100 peaks per second at 16 kHz) */
  samplesPerPeak?: number;
  signal?: AbortSignal;
}

const DEFAULT_SAMPLES_PER_PEAK = 160;
const TARGET_CHUNK_SAMPLES = DECODE_SAMPLE_RATE * 30;
const SAFE_KEY = /^[\w.-]{1,200}$/;

export async function computePeaks(
  tools: FfmpegTools,
  filePath: string,
  { samplesPerPeak = DEFAULT_SAMPLES_PER_PEAK, signal }: PeaksOptions = {},
): Promise<Peaks> {
  if (!Number.isInteger(samplesPerPeak) || samplesPerPeak <= 0) {
    throw new EngineError('INVALID_ARGUMENT', 'samplesPerPeak must be a positive integer.', {
      details: { samplesPerPeak },
    });
  }
  // Whole buckets per chunk, so no bucket straddles two chunks; only the last one can be partial.
  const chunkSamples =
    samplesPerPeak * Math.max(1, Math.floor(TARGET_CHUNK_SAMPLES / samplesPerPeak));
  let peaks = new Float32Array(4096);
  let count = 0;
  let samples = 0;
  for await (const chunk of decodeAudio(tools, filePath, { signal, chunkSamples })) {
    const buckets = Math.ceil(chunk.length / samplesPerPeak);
    if (count + buckets > peaks.length) {
      const grown = new Float32Array(Math.max(peaks.length * 2, count + buckets));
      grown.set(peaks);
      peaks = grown;
    }
    for (let start = 0; start < chunk.length; start += samplesPerPeak) {
      peaks[count++] = loudestSample(chunk.subarray(start, start + samplesPerPeak));
    }
    samples += chunk.length;
  }
  return {
    sampleRate: DECODE_SAMPLE_RATE,
    samplesPerPeak,
    peaks: peaks.slice(0, count),
    durationSec: samples / DECODE_SAMPLE_RATE,
  };
}

/** Where `getPeaksCached` keeps the peaks for `key`; delete it when the media leaves the library. */
export function peaksCacheFile(cacheDir: string, key: string): string {
  if (!SAFE_KEY.test(key)) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Peaks cache key "${key}" must be 1-200 letters, digits, ".", "_" or "-".`,
      { details: { key } },
    );
  }
  return path.join(cacheDir, `${key}.peaks`);
}

/**
 * Peaks from `cacheDir` when a valid entry for `key` with the same `samplesPerPeak` exists;
 * otherwise computes them and stores them atomically. `key` names the media content: use a new
 * key when the file behind it changes.
 */
export async function getPeaksCached(
  tools: FfmpegTools,
  filePath: string,
  cacheDir: string,
  key: string,
  options: PeaksOptions = {},
): Promise<Peaks> {
  const file = peaksCacheFile(cacheDir, key);
  const cached = await readPeaksFile(file);
  if (cached && cached.samplesPerPeak === (options.samplesPerPeak ?? DEFAULT_SAMPLES_PER_PEAK)) {
    return cached;
  }
  const peaks = await computePeaks(tools, filePath, options);
  await writePeaksFile(file, peaks);
  return peaks;
}

/** The sample with the largest magnitude, sign kept, clamped to [-1, 1] (lossy codecs overshoot). */
function loudestSample(bucket: Float32Array): number {
  let max = 0;
  let min = 0;
  for (const value of bucket) {
    if (value > max) max = value;
    else if (value < min) min = value;
  }
  return max >= -min ? Math.min(max, 1) : Math.max(min, -1);
}
