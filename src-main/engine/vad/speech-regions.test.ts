/**
 * detectSpeechRegions: the window/overlap/merge logic with a scripted detector (hand cases), the
 * bounded memory on a 3-hour stream, and the real thing (ffmpeg + the addon + Silero) on the
 * shared fixtures.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { decodeAudio, type DecodeOptions } from '../media/decode';
import { resolveFfmpegTools } from '../media/ffmpeg-tools';
import { speechRegionScore } from '../quality/speech-score';
import { engineRejection } from '../test-support/engine-rejection';
import { detectSpeech, type SpeechDetection } from '../whisper/addon';
import type { DetectSpeechOptions } from '../whisper/params';
import { speech, testModels } from '../whisper/__fixtures__/whisper-fixtures';
import type { TimeRange } from '../../contract/time-range';
import { detectSpeechRegions, totalSpeechSec, type SpeechRegionsDeps } from './speech-regions';

/** Regions in seconds, to compare with hand-written ones. */
const inSec = (regions: readonly TimeRange[]) =>
  regions.map((r) => ({ start: r.startMs / 1000, end: r.endMs / 1000 }));

const SR = 16_000;
const sampleWav = resolve(
  import.meta.dirname,
  '../../../test-data/fixtures/diarization/sample.wav',
);

/** A decoder yielding `seconds` of a ramp (sample i = i / 1e9) in pieces of `pieceSec`. */
function rampDecoder(seconds: number, pieceSec = 7): SpeechRegionsDeps['decode'] {
  return async function* (_file: string, _options: DecodeOptions) {
    const total = Math.round(seconds * SR);
    for (let at = 0; at < total; at += pieceSec * SR) {
      const n = Math.min(pieceSec * SR, total - at);
      const piece = new Float32Array(n);
      for (let i = 0; i < n; i++) piece[i] = (at + i) / 1e9;
      yield piece;
    }
  };
}

/** A detector returning scripted regions (ms, window-local) per call, recording what it got. */
function scriptedDetector(script: [number, number][][]) {
  const calls: { length: number; first: number }[] = [];
  const detect = (pcm: Float32Array, _options: DetectSpeechOptions): Promise<SpeechDetection> => {
    calls.push({ length: pcm.length, first: pcm[0] ?? NaN });
    const regions = (script[calls.length - 1] ?? []).map(([startMs, endMs]) => ({
      startMs,
      endMs,
    }));
    return Promise.resolve({ regions, timings: { loadMs: 0, vadMs: 0 }, reusedContext: false });
  };
  return { detect, calls };
}

describe('detectSpeechRegions: windows, overlap and merging', () => {
  it('cuts in the middle of each overlap and joins a region that crosses it (hand case)', async () => {
    // 25 s, chunkSec 10, overlapSec 2 → windows [0,12), [10,22), [20,25); cuts at 11 s and 21 s.
    const { detect, calls } = scriptedDetector([
      [
        [1_000, 3_000],
        [10_500, 12_000],
      ], // 1–3 s; 10.5–12 s runs into the window's end
      [
        [200, 4_000],
        [9_000, 12_000],
      ], // 10.2–14 s; 19–22 s
      [
        [0, 1_500],
        [3_000, 4_000],
      ], // 20–21.5 s; 23–24 s
    ]);
    const regions = await detectSpeechRegions(
      { decode: rampDecoder(25), vadModelPath: testModels.sileroVad, detect },
      'x.wav',
      { chunkSec: 10, overlapSec: 2 },
    );
    expect(inSec(regions)).toEqual([
      { start: 1, end: 3 },
      { start: 10.5, end: 14 }, // 10.5–11 from window 0 + 11–14 from window 1
      { start: 19, end: 21.5 }, // 19–21 from window 1 + 21–21.5 from window 2
      { start: 23, end: 24 },
    ]);
    expect(totalSpeechSec(regions)).toBe(2 + 3.5 + 2.5 + 1);
    // Window lengths 12, 12, 5 s; each window starts where the previous one's overlap starts.
    expect(calls.map((c) => c.length)).toEqual([12 * SR, 12 * SR, 5 * SR]);
    expect(calls.map((c) => c.first)).toEqual(
      [0, (10 * SR) / 1e9, (20 * SR) / 1e9].map(Math.fround),
    );
  });

  it('keeps a disagreement at a cut as two regions', async () => {
    // Window 0 hears speech end at 10.8 s, window 1 (from 10 s) hears it from 10.9 s: the cut at
    // 11 s keeps window 0's view before it and window 1's after it.
    const { detect } = scriptedDetector([[[9_000, 10_800]], [[900, 3_000]]]);
    const regions = await detectSpeechRegions(
      { decode: rampDecoder(20), vadModelPath: testModels.sileroVad, detect },
      'x.wav',
      { chunkSec: 10, overlapSec: 2 },
    );
    expect(inSec(regions)).toEqual([
      { start: 9, end: 10.8 },
      { start: 11, end: 13 },
    ]);
  });

  it('runs one window for short audio, none for empty audio, and no window for a carried overlap alone', async () => {
    const short = scriptedDetector([[[500, 1_500]]]);
    expect(
      await detectSpeechRegions(
        { decode: rampDecoder(3), vadModelPath: testModels.sileroVad, detect: short.detect },
        'x.wav',
      ),
    ).toEqual([{ startMs: 500, endMs: 1500 }]);
    expect(short.calls).toHaveLength(1);

    const empty = scriptedDetector([]);
    expect(
      await detectSpeechRegions(
        { decode: rampDecoder(0), vadModelPath: testModels.sileroVad, detect: empty.detect },
        'x.wav',
      ),
    ).toEqual([]);
    expect(empty.calls).toHaveLength(0);

    // Exactly one full window (12 s): the 2 s kept for the next window hold no new audio.
    const exact = scriptedDetector([[[11_000, 12_000]]]);
    expect(
      await detectSpeechRegions(
        { decode: rampDecoder(12), vadModelPath: testModels.sileroVad, detect: exact.detect },
        'x.wav',
        { chunkSec: 10, overlapSec: 2 },
      ),
    ).toEqual([{ startMs: 11_000, endMs: 12_000 }]);
    expect(exact.calls).toHaveLength(1);
  });

  it('never holds more than one window: a 3-hour stream in 5-minute windows', async () => {
    const hours = 3;
    const { detect, calls } = scriptedDetector([]);
    let peakArrayBuffers = 0;
    const measuring: typeof detect = (pcm, options) => {
      peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
      return detect(pcm, options);
    };
    // Zeros, one reused piece: the stream itself holds nothing.
    const piece = new Float32Array(30 * SR);
    const decode = async function* () {
      for (let at = 0; at < hours * 3600; at += 30) yield piece;
    };
    const regions = await detectSpeechRegions(
      { decode, vadModelPath: testModels.sileroVad, detect: measuring },
      'long.wav',
    );
    expect(regions).toEqual([]);
    // (10 800 s − 5 s overlap) / 300 s → 36 windows of 305 s, the last one 300 s + overlap… or
    // shorter; never longer.
    expect(calls).toHaveLength(36);
    expect(Math.max(...calls.map((c) => c.length))).toBe(305 * SR);
    // The whole file would be 691 MB of floats; one window is 19.5 MB.
    expect(peakArrayBuffers).toBeLessThan(150 * 1024 ** 2);
  });

  it('checks its options and the model file before decoding anything', async () => {
    let decoded = false;
    const decode = async function* () {
      decoded = true;
      yield new Float32Array(SR);
    };
    await engineRejection(
      detectSpeechRegions(
        { decode, vadModelPath: '/nope/silero.bin', detect: detectSpeech },
        'x.wav',
      ),
      'MODEL_LOAD_FAILED',
    );
    const bad = await engineRejection(
      detectSpeechRegions(
        { decode, vadModelPath: testModels.sileroVad, detect: detectSpeech },
        'x.wav',
        {
          chunkSec: 10,
          overlapSec: 6,
        },
      ),
      'INVALID_ARGUMENT',
    );
    expect(bad.message).toMatch(/overlapSec/);
    await engineRejection(
      detectSpeechRegions(
        { decode, vadModelPath: testModels.sileroVad, detect: detectSpeech },
        'x.wav',
        {
          threshold: 2,
        },
      ),
      'INVALID_ARGUMENT',
    );
    expect(decoded).toBe(false);
  });
});

describe('detectSpeechRegions with ffmpeg and Silero', () => {
  const realDeps = async (): Promise<SpeechRegionsDeps> => {
    const tools = await resolveFfmpegTools();
    return {
      decode: (file, options) => decodeAudio(tools, file, options),
      vadModelPath: testModels.sileroVad,
      // The addon itself: this test is a worker's view (the engine passes whisper.detectSpeech).
      detect: detectSpeech,
    };
  };

  it('finds the speech of jfk.wav as detectSpeech does on the whole buffer', async () => {
    const deps = await realDeps();
    const regions = await detectSpeechRegions(deps, speech.jfk);
    expect(regions.length).toBeGreaterThanOrEqual(2);
    expect(regions[0]?.startMs).toBeLessThan(1000);
    expect(regions.at(-1)?.endMs).toBeGreaterThan(10_000);
    expect(totalSpeechSec(regions)).toBeGreaterThan(6.6);
    // One window: the same regions as the addon gives for the decoded buffer.
    const pcm: Float32Array[] = [];
    for await (const chunk of deps.decode(speech.jfk, {})) pcm.push(chunk);
    const whole = await detectSpeech(pcm[0] as Float32Array, { modelPath: testModels.sileroVad });
    expect(regions).toEqual(whole.regions);
  });

  it('gives nearly the same regions in 10 s windows as in one window (sample.wav, 30 s)', async () => {
    const deps = await realDeps();
    const progress: number[] = [];
    const one = await detectSpeechRegions(deps, sampleWav);
    const chunked = await detectSpeechRegions(deps, sampleWav, {
      chunkSec: 10,
      overlapSec: 2,
      onProgress: (s) => progress.push(s),
    });
    const agreement = speechRegionScore(inSec(chunked), inSec(one));
    expect(agreement.f1).toBeGreaterThan(0.95);
    expect(progress).toHaveLength(3);
    expect(progress.at(-1)).toBeCloseTo(30, 1);
  });

  it('stops ffmpeg and rejects with the signal’s reason when aborted', async () => {
    const deps = await realDeps();
    const controller = new AbortController();
    const pending = detectSpeechRegions(deps, sampleWav, {
      chunkSec: 5,
      overlapSec: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(new EngineError('CANCELLED', 'Stopped by the test.')),
    });
    const error = await engineRejection(pending, 'CANCELLED');
    expect(error.message).toBe('Stopped by the test.');
  });
});
