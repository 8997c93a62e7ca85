/**
 * Speech regions of a whole media file, of any length, with whisper.cpp's Silero VAD.
 *
 * Memory: the file is never held whole. ffmpeg's 16 kHz mono samples stream into one reused
 * window of `chunkSec + overlapSec` seconds (≈19 MB for the default 5 min + 5 s); each full window
 * goes to the addon's `detectSpeech` (which copies it: another ≈19 MB while it runs), then the
 * window keeps only its last `overlapSec` seconds and fills up again. Peak memory is therefore
 * about 40 MB plus the region list, for a 3-minute file and a 3-hour file alike.
 *
 * Chunk borders: Silero is a recurrent model whose state starts afresh in every window, and a
 * window cuts speech at its end, so the regions near a window's edges are the least reliable.
 * Consecutive windows therefore overlap by `overlapSec`, and the overlap is split in the middle:
 * a window's regions are kept up to that middle point, the next window's from it on. A region
 * that crosses the middle is seen by both windows; its two halves meet exactly there and are
 * joined into one region. Regions that touch or overlap are always joined.
 *
 * Processes: runs on the calling (JS) thread, which only copies samples; ffmpeg runs in its own
 * process and each detection in a worker process (`deps.detect`: the engine passes its
 * `whisper.detectSpeech`, which runs the addon in the whisper pool), one at a time.
 */
import type { ModelManager } from '../models/model-manager';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { abortReason, EngineError } from '../errors';
import { DECODE_SAMPLE_RATE, type DecodeOptions } from '../media/decode';
import type { TimeRange } from '../../contract/time-range';
import type { SpeechDetection } from '../whisper/addon';
import { parseDetectSpeechOptions, type DetectSpeechOptions } from '../whisper/params';

/** The catalog id of the VAD model the engine uses by default. */
export const DEFAULT_VAD_MODEL_ID = 'silero-vad-v6.2.0';

/** The installed Silero model's path, or null when it is not installed (or not ready). */
export function installedVadModel(
  models: Pick<ModelManager, 'get' | 'resolvePath'>,
): string | null {
  return models.get(DEFAULT_VAD_MODEL_ID)?.status === 'ready'
    ? models.resolvePath(DEFAULT_VAD_MODEL_ID)
    : null;
}

/**
 * Silero VAD over one window of 16 kHz mono samples, regions in ms from its first sample. The
 * engine's is `whisper.detectSpeech` (in the worker pool); a worker process or a test may pass
 * the addon's `detectSpeech` itself.
 */
export type SpeechDetector = (
  pcm: Float32Array,
  options: DetectSpeechOptions,
  context: { signal?: AbortSignal },
) => Promise<Pick<SpeechDetection, 'regions'>>;

export interface SpeechRegionsDeps {
  /**
   * Streams the file's audio as 16 kHz mono samples: `decodeAudio` from media/decode.ts bound to
   * the engine's ffmpeg tools, e.g. `(file, o) => decodeAudio(tools, file, o)`.
   */
  decode: (file: string, options: DecodeOptions) => AsyncIterable<Float32Array>;
  /** Path of the Silero VAD model in ggml format (the engine: `models.resolvePath(DEFAULT_VAD_MODEL_ID)`). */
  vadModelPath: string;
  /** Runs the VAD on one window (see `SpeechDetector`). */
  detect: SpeechDetector;
}

export interface SpeechRegionsOptions extends Omit<DetectSpeechOptions, 'modelPath'> {
  /**
   * Seconds of new audio per VAD run. Longer windows mean fewer borders; memory grows with it.
   * @default 300
   */
  chunkSec?: number;
  /**
   * Seconds each window shares with the previous one (at most half of `chunkSec`).
   * @default 5
   */
  overlapSec?: number;
  /** Absolute audio stream index to decode (`MediaProbe.audio.index`). @default the first audio stream */
  streamIndex?: number;
  /** Analyse only this 0-based channel instead of the downmix. @default the downmix */
  channel?: number;
  /** Stops ffmpeg and the detection; the promise rejects with CANCELLED (or `signal.reason`). */
  signal?: AbortSignal;
  /** Called after each window with the seconds of audio analysed so far. */
  onProgress?: (analysedSec: number) => void;
}

/** Samples per decoded piece: small, so the window is filled without a second large buffer. */
const DECODE_PIECE_SAMPLES = DECODE_SAMPLE_RATE * 10;

/**
 * The speech regions of `file` (ms from its start, in time order, never overlapping).
 * Rejects with MODEL_LOAD_FAILED (VAD model), INVALID_ARGUMENT (options), CANCELLED, or whatever
 * the decoder rejects with (DECODE_FAILED, FFMPEG_NOT_FOUND…). Run the media probe first for
 * friendly errors about files that are not media.
 */
export async function detectSpeechRegions(
  deps: SpeechRegionsDeps,
  file: string,
  options: SpeechRegionsOptions = {},
): Promise<TimeRange[]> {
  const {
    chunkSec = 300,
    overlapSec = 5,
    streamIndex,
    channel,
    signal,
    onProgress,
    ...vadOptions
  } = options;
  checkWindow(chunkSec, overlapSec);
  const vad = parseDetectSpeechOptions({ ...vadOptions, modelPath: deps.vadModelPath });
  const modelPath = resolve(vad.modelPath);
  if (!existsSync(modelPath)) {
    throw new EngineError('MODEL_LOAD_FAILED', `The VAD model file does not exist: ${modelPath}.`, {
      details: { path: modelPath, reason: 'missing' },
    });
  }
  const { detect } = deps;
  const what = 'Speech detection';
  if (signal?.aborted) throw abortReason(signal, what);

  const chunk = Math.round(chunkSec * DECODE_SAMPLE_RATE);
  const overlap = Math.round(overlapSec * DECODE_SAMPLE_RATE);
  const window = new Float32Array(chunk + overlap);
  let filled = 0;
  /** Absolute sample index of window[0]. */
  let windowStart = 0;
  const merged = new RegionList();
  /** The previous window's regions (absolute samples), kept until the next cut point is known. */
  let pending: [number, number][] = [];

  const run = async (): Promise<void> => {
    const { regions } = await detect(window.subarray(0, filled), { ...vad, modelPath }, { signal });
    const found = regions.map((r): [number, number] => [
      windowStart + (r.startMs * DECODE_SAMPLE_RATE) / 1000,
      windowStart + (r.endMs * DECODE_SAMPLE_RATE) / 1000,
    ]);
    if (windowStart === 0) {
      pending = found;
    } else {
      // The middle of the overlap with the previous window.
      const cut = windowStart + overlap / 2;
      for (const [start, end] of pending) merged.add(start, Math.min(end, cut));
      pending = found.map(([start, end]): [number, number] => [Math.max(start, cut), end]);
    }
    onProgress?.((windowStart + filled) / DECODE_SAMPLE_RATE);
  };

  for await (const piece of deps.decode(file, {
    chunkSamples: DECODE_PIECE_SAMPLES,
    signal,
    streamIndex,
    ...(channel === undefined ? {} : { channel }),
  })) {
    for (let at = 0; at < piece.length;) {
      const n = Math.min(window.length - filled, piece.length - at);
      window.set(piece.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === window.length) {
        await run();
        // Keep the overlap as the start of the next window.
        window.copyWithin(0, chunk);
        filled = overlap;
        windowStart += chunk;
      }
    }
  }
  if (signal?.aborted) throw abortReason(signal, what);
  // The last window: everything after the carried overlap is new audio (or, for a file shorter
  // than one window, all of it). A carried overlap alone was analysed already.
  if (windowStart === 0 ? filled > 0 : filled > overlap) await run();
  for (const [start, end] of pending) merged.add(start, end);
  const samplesPerMs = DECODE_SAMPLE_RATE / 1000;
  return merged.regions
    .map(({ start, end }) => ({
      startMs: Math.round(start / samplesPerMs),
      endMs: Math.round(end / samplesPerMs),
    }))
    .filter((region) => region.endMs > region.startMs);
}

/** Total seconds of speech in `regions`. */
export function totalSpeechSec(regions: readonly TimeRange[]): number {
  return regions.reduce((sum, r) => sum + (r.endMs - r.startMs), 0) / 1000;
}

/** Regions in time order; a region that touches or overlaps the last one extends it. */
class RegionList {
  readonly regions: { start: number; end: number }[] = [];

  add(start: number, end: number): void {
    if (!(end > start)) return;
    const last = this.regions.at(-1);
    if (last && start <= last.end) {
      last.end = Math.max(last.end, end);
    } else {
      this.regions.push({ start, end });
    }
  }
}

function checkWindow(chunkSec: number, overlapSec: number): void {
  const problems = [
    Number.isFinite(chunkSec) && chunkSec >= 1 && chunkSec <= 3600
      ? ''
      : 'chunkSec must be between 1 and 3600',
    Number.isFinite(overlapSec) && overlapSec >= 0 && overlapSec * 2 <= chunkSec
      ? ''
      : 'overlapSec must be at least 0 and at most half of chunkSec',
  ].filter((p) => p !== '');
  if (problems.length > 0) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Invalid speech detection options: ${problems.join('; ')}.`,
      { details: { problems } },
    );
  }
}
