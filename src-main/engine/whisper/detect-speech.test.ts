/**
 * The addon's VAD-only `detectSpeech` on real speech with the real Silero v6.2.0 model (no mocks).
 * Needs `npm run build:native`.
 */
import { copyFileSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { engineRejection } from '../test-support/engine-rejection';
import { detectSpeech, releaseVadContexts, type SpeechRegionMs } from './addon';
import {
  eventLoopGaps,
  readWav16kMono,
  repeatTo,
  speech,
  testModels,
} from './__fixtures__/whisper-fixtures';

const jfk = readWav16kMono(speech.jfk);
const modelPath = testModels.sileroVad;
const SECOND = 16_000;
const work = mkdtempSync(join(tmpdir(), 'detect-speech-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

afterEach(() => {
  releaseVadContexts();
});

function speechMs(regions: SpeechRegionMs[]): number {
  return regions.reduce((sum, r) => sum + r.endMs - r.startMs, 0);
}

function expectOrdered(regions: SpeechRegionMs[], audioMs: number): void {
  let previousEnd = 0;
  for (const r of regions) {
    expect(Number.isInteger(r.startMs) && Number.isInteger(r.endMs)).toBe(true);
    expect(r.startMs).toBeGreaterThanOrEqual(previousEnd);
    expect(r.endMs).toBeGreaterThan(r.startMs);
    expect(r.endMs).toBeLessThanOrEqual(audioMs);
    previousEnd = r.endMs;
  }
}

describe('detectSpeech', () => {
  it('finds the speech of jfk.wav: most of its 11 s, from the first word to the last', async () => {
    const { regions, timings } = await detectSpeech(jfk, { modelPath });
    expectOrdered(regions, 11_000);
    expect(regions.length).toBeGreaterThanOrEqual(2);
    // "And so my fellow Americans" starts within the first second; "…your country" ends after 10 s.
    expect(regions[0]?.startMs).toBeLessThan(1_000);
    expect(regions.at(-1)?.endMs).toBeGreaterThan(10_000);
    expect(speechMs(regions)).toBeGreaterThan(0.6 * 11_000);
    expect(timings.vadMs).toBeGreaterThan(0);
  });

  it('finds no speech in 3 s of digital silence', async () => {
    const { regions } = await detectSpeech(new Float32Array(3 * SECOND), { modelPath });
    expect(regions).toEqual([]);
  });

  it('reports times in the audio given: speech after 3 s of silence starts after 2.9 s', async () => {
    const pcm = new Float32Array(3 * SECOND + jfk.length);
    pcm.set(jfk, 3 * SECOND);
    const shifted = (await detectSpeech(pcm, { modelPath })).regions;
    const plain = (await detectSpeech(jfk, { modelPath })).regions;
    expect(shifted[0]?.startMs).toBeGreaterThanOrEqual(2_900);
    // Same speech, same detection, 3 s later (Silero's state warms up over the leading silence,
    // so allow a frame or two of difference).
    expect(shifted).toHaveLength(plain.length);
    shifted.forEach((r, i) => {
      expect(Math.abs(r.startMs - 3_000 - (plain[i]?.startMs ?? 0))).toBeLessThanOrEqual(100);
      expect(Math.abs(r.endMs - 3_000 - (plain[i]?.endMs ?? 0))).toBeLessThanOrEqual(100);
    });
  });

  it('follows its options: a higher threshold and longer minimum speech find no more speech', async () => {
    const loose = await detectSpeech(jfk, { modelPath, threshold: 0.3, speechPadMs: 0 });
    const strict = await detectSpeech(jfk, {
      modelPath,
      threshold: 0.9,
      minSpeechDurationMs: 1_000,
      speechPadMs: 0,
    });
    expect(speechMs(strict.regions)).toBeLessThanOrEqual(speechMs(loose.regions));
    for (const r of strict.regions) expect(r.endMs - r.startMs).toBeGreaterThanOrEqual(1_000);
  });

  it('gives the same regions to concurrent calls and pools the VAD context between calls', async () => {
    releaseVadContexts();
    const results = await Promise.all([1, 2, 3].map(() => detectSpeech(jfk, { modelPath })));
    expect(results[1]?.regions).toEqual(results[0]?.regions);
    expect(results[2]?.regions).toEqual(results[0]?.regions);
    // One context per call running at the same moment (how many overlapped depends on the
    // machine's load): never more than three, all idle in the pool now.
    const pooled = releaseVadContexts();
    expect(pooled).toBeGreaterThanOrEqual(1);
    expect(pooled).toBeLessThanOrEqual(3);
    expect(releaseVadContexts()).toBe(0);
    expect((await detectSpeech(jfk, { modelPath })).reusedContext).toBe(false);
    expect((await detectSpeech(jfk, { modelPath })).reusedContext).toBe(true);
    expect(releaseVadContexts()).toBe(1);
  });

  it('keeps the four most recently used pool keys and drops a replaced model file', async () => {
    releaseVadContexts();
    const second = jfk.subarray(0, SECOND);
    const reused = async (options: Omit<Parameters<typeof detectSpeech>[1], 'modelPath'> = {}) =>
      (await detectSpeech(second, { modelPath, ...options })).reusedContext;
    // Each thread count is a key of its own: with five keys the least recently used one
    // (threads 1) is evicted, the others stay.
    for (const threads of [1, 2, 3, 4, 5]) expect(await reused({ threads })).toBe(false);
    expect(await reused({ threads: 2 })).toBe(true);
    expect(await reused({ threads: 1 })).toBe(false);
    // Keys now, most recent first: 1, 2, 5, 4 (3 was evicted by 1).
    expect(await reused({ threads: 4 })).toBe(true);
    expect(releaseVadContexts()).toBe(4);

    // A model file replaced in place (new mtime) is loaded afresh; its old context is freed.
    const copy = join(work, 'silero.bin');
    copyFileSync(modelPath, copy);
    expect((await detectSpeech(second, { modelPath: copy })).reusedContext).toBe(false);
    expect((await detectSpeech(second, { modelPath: copy })).reusedContext).toBe(true);
    utimesSync(copy, new Date(), new Date(Date.now() + 5_000));
    expect((await detectSpeech(second, { modelPath: copy })).reusedContext).toBe(false);
    expect(releaseVadContexts()).toBe(1);
  });

  it('does not block the event loop while it runs', async () => {
    const pcm = repeatTo(jfk, 300);
    const { gaps, elapsedMs, worstMs } = await eventLoopGaps(() =>
      detectSpeech(pcm, { modelPath }),
    );
    // Run on this thread, the detection (≈0.9 s alone) would be one gap as long as the call.
    // Other test files share the two cores, so only a gap of a third of the call counts.
    expect(gaps.length).toBeGreaterThan(10);
    expect(worstMs).toBeLessThan(Math.max(100, elapsedMs / 3));
  });
});

describe('detectSpeech failures', () => {
  it('rejects a missing VAD model file with MODEL_LOAD_FAILED naming the file', async () => {
    const error = await engineRejection(
      detectSpeech(jfk, { modelPath: '/nope/ggml-silero.bin' }),
      'MODEL_LOAD_FAILED',
    );
    expect(error.message).toBe('The VAD model file does not exist: /nope/ggml-silero.bin.');
    expect(error.details).toMatchObject({ reason: 'missing' });
  });

  it('rejects a file that is not a Silero model with MODEL_LOAD_FAILED and whisper.cpp’s reason', async () => {
    const error = await engineRejection(
      detectSpeech(jfk, { modelPath: speech.jfk }),
      'MODEL_LOAD_FAILED',
    );
    expect(error.message).toMatch(/could not be loaded from .*jfk\.wav: .*bad magic/);
    expect(error.message).toMatch(/Choose a Silero VAD model/);
    expect(error.details).toMatchObject({ reason: 'vad-model' });
  });

  it.each([
    ['empty audio', new Float32Array(0), {}, /empty/],
    ['NaN samples', Float32Array.from([0, Number.NaN]), {}, /non-finite/],
    ['a threshold of 1', jfk, { threshold: 1 }, / at threshold:/],
    ['zero threads', jfk, { threads: 0 }, / at threads:/],
    ['an unknown option', jfk, { thresh: 0.5 }, /Unrecognized key/i],
    ['an empty model path', jfk, { modelPath: '' }, / at modelPath:/],
  ])('refuses %s before native code runs', async (_name, pcm, extra, message) => {
    const error = await engineRejection(
      detectSpeech(pcm, { modelPath, ...extra } as Parameters<typeof detectSpeech>[1]),
      'INVALID_ARGUMENT',
    );
    expect(error.message).toMatch(message);
  });

  it('rejects at once when the signal is already aborted, with the signal’s EngineError', async () => {
    const controller = new AbortController();
    controller.abort(new EngineError('CANCELLED', 'Job 3 was cancelled.'));
    const error = await engineRejection(
      detectSpeech(jfk, { modelPath }, { signal: controller.signal }),
      'CANCELLED',
    );
    expect(error.message).toBe('Job 3 was cancelled.');
  });

  it('rejects with CANCELLED within 1.5 s of an abort mid-run (10 min of audio)', async () => {
    const controller = new AbortController();
    const pending = engineRejection(
      detectSpeech(repeatTo(jfk, 600), { modelPath }, { signal: controller.signal }),
      'CANCELLED',
    );
    await new Promise((r) => setTimeout(r, 200));
    const abortedAt = performance.now();
    controller.abort();
    await pending;
    expect(performance.now() - abortedAt).toBeLessThan(1_500);
  });
});
