/**
 * Shared inputs for the Whisper addon tests: paths to whisper.cpp's test model files and real
 * speech in test-data/, and a small WAV reader (16-bit PCM, any chunk layout) so the tests need
 * no ffmpeg.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const testData = resolve(import.meta.dirname, '..', '..', '..', '..', 'test-data');

/**
 * whisper.cpp's "for-tests" files: real hyperparameters and vocabulary, no tensors. whisper.cpp
 * loads them as an empty model (weights stay zero) and runs the full computation, so loading,
 * threads, progress, abort and concurrency are real while the text is empty.
 */
export const testModels = {
  tinyEn: resolve(testData, 'models/whisper-test/for-tests-ggml-tiny.en.bin'),
  tiny: resolve(testData, 'models/whisper-test/for-tests-ggml-tiny.bin'),
  sileroVad: resolve(testData, 'models/whisper-test/for-tests-silero-v6.2.0-ggml.bin'),
};

export const speech = {
  /** 11.0 s, 16 kHz mono s16: "And so my fellow Americans, ask not what your country can do for you…" */
  jfk: resolve(testData, 'fixtures/speech/jfk.wav'),
};

/** The samples of a 16 kHz mono 16-bit PCM WAV file as floats in [-1, 1). */
export function readWav16kMono(file: string): Float32Array {
  const bytes = readFileSync(file);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${file} is not a WAV file`);
  }
  let format: { channels: number; rate: number; bits: number } | undefined;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = bytes.toString('ascii', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      format = {
        channels: bytes.readUInt16LE(body + 2),
        rate: bytes.readUInt32LE(body + 4),
        bits: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format || format.channels !== 1 || format.rate !== 16_000 || format.bits !== 16) {
        throw new Error(`${file} is not 16 kHz mono 16-bit PCM`);
      }
      const n = Math.floor(Math.min(size, bytes.length - body) / 2);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = bytes.readInt16LE(body + 2 * i) / 32768;
      return out;
    }
    at = body + size + (size & 1);
  }
  throw new Error(`${file} has no data chunk`);
}

/** `pcm` repeated until it is at least `seconds` long (then cut to exactly that). */
export function repeatTo(pcm: Float32Array, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * 16_000));
  for (let at = 0; at < out.length; at += pcm.length) {
    out.set(pcm.subarray(0, Math.min(pcm.length, out.length - at)), at);
  }
  return out;
}

/**
 * Runs `work` while a 5 ms timer samples the event loop; returns the gaps between ticks and how
 * long `work` took. Native work done off the JS thread leaves the gaps near 5 ms; work done on
 * it shows up as one gap as long as the call.
 */
export async function eventLoopGaps(
  work: () => Promise<unknown>,
): Promise<{ gaps: number[]; elapsedMs: number; worstMs: number }> {
  const gaps: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 5);
  const began = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { gaps, elapsedMs: performance.now() - began, worstMs: Math.max(0, ...gaps) };
}
