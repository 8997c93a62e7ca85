/** A stretch of 16 kHz mono audio and where it starts in the media. */
export interface AudioWindow {
  startMs: number;
  pcm: Float32Array;
  /** True for the last window of the media. */
  last: boolean;
}

export interface WindowOptions {
  /** Longest window handed to Whisper at once. @default 600 (10 minutes: 38 MB of samples) */
  maxWindowSec?: number;
  /** How far back from a window's end to look for a silence to cut in. @default 60 */
  searchBackSec?: number;
  /** Shortest silence worth cutting in. @default 300 */
  minGapMs?: number;
  /**
   * Speech regions (ms, relative to the window's start) of a full window starting at `startMs`
   * of the media, to cut it in a silence rather than mid-word. Without it, windows are cut at
   * their full length.
   */
  speechRegions?: (
    pcm: Float32Array,
    startMs: number,
  ) => Promise<{ startMs: number; endMs: number }[]>;
}

const rate = 16_000;
const msToSamples = (ms: number) => Math.round((ms * rate) / 1000);

/** Where to cut a full window: in the middle of its last long-enough silence near the end. */
export function chooseCut(
  lengthMs: number,
  regions: readonly { startMs: number; endMs: number }[],
  searchBackMs: number,
  minGapMs: number,
): number {
  const from = lengthMs - searchBackMs;
  for (let i = regions.length - 1; i >= 0; i -= 1) {
    const gapStart = regions[i]!.endMs;
    const gapEnd = i + 1 < regions.length ? regions[i + 1]!.startMs : lengthMs;
    if (gapStart < from) break;
    if (gapEnd - gapStart >= minGapMs) return Math.round((gapStart + gapEnd) / 2);
  }
  return lengthMs;
}

/**
 * Groups a stream of decoded chunks into windows for Whisper, holding at most one window (plus
 * one chunk) in memory whatever the media's length.
 */
export async function* audioWindows(
  chunks: AsyncIterable<Float32Array>,
  options: WindowOptions = {},
): AsyncGenerator<AudioWindow> {
  const { maxWindowSec = 600, searchBackSec = 60, minGapMs = 300, speechRegions } = options;
  const maxSamples = maxWindowSec * rate;
  let buffer = new Float32Array(maxSamples);
  let filled = 0;
  let startSample = 0;

  const take = async (final: boolean): Promise<AudioWindow> => {
    let cut = filled;
    if (!final && speechRegions) {
      const lengthMs = (filled * 1000) / rate;
      const regions = await speechRegions(
        buffer.subarray(0, filled),
        Math.round((startSample * 1000) / rate),
      );
      cut = Math.min(
        filled,
        msToSamples(chooseCut(lengthMs, regions, searchBackSec * 1000, minGapMs)),
      );
    }
    const window: AudioWindow = {
      startMs: Math.round((startSample * 1000) / rate),
      pcm: buffer.slice(0, cut),
      last: final,
    };
    // Carry what follows the cut into the next window.
    const rest = buffer.slice(cut, filled);
    buffer = new Float32Array(maxSamples);
    buffer.set(rest);
    filled = rest.length;
    startSample += cut;
    return window;
  };

  for await (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(chunk.length - offset, maxSamples - filled);
      buffer.set(chunk.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === maxSamples) yield await take(false);
    }
  }
  if (filled > 0 || startSample === 0) yield await take(true);
}
