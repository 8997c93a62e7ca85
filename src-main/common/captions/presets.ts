/**
 * Caption presets: the rules each named preset stands for. (Custom rules from people are validated
 * by the engine, `engine/captions/presets.ts`.)
 *
 * Frame rate: the minimum gap between captions is a broadcast convention counted in frames (two
 * frames), so its length in milliseconds depends on the frame rate of the video the captions go
 * with. Documents do not record a frame rate, so `broadcast` assumes 25 fps (PAL/EBU, the rate
 * the EBU and BBC guidelines are written for): 2 frames = 80 ms. Pass `fps` for other material
 * (e.g. 29.97 → 67 ms). `social` assumes 30 fps, the common rate of phone video.
 */
import type { CaptionRules, TranscriptDocument } from '../../contract/document';

/** A document's caption preset: `broadcast`, `social` or `custom`. */
export type CaptionPresetId = TranscriptDocument['captions']['preset'];

/**
 * Milliseconds `frames` video frames last at `fps`, rounded to the nearest millisecond. Callers
 * pass checked numbers (the engine validates what people send); others are a RangeError.
 */
export function framesToMs(frames: number, fps: number): number {
  if (!(Number.isFinite(frames) && frames >= 0 && Number.isFinite(fps) && fps > 0)) {
    throw new RangeError(
      `A frame count must be ≥ 0 and a frame rate > 0 (got ${frames} frames at ${fps} fps).`,
    );
  }
  return Math.round((frames * 1000) / fps);
}

export interface FrameRateOptions {
  /**
   * Frame rate of the video the captions accompany; sets the millisecond length of frame-counted
   * gaps.
   * @default 25 for broadcast, 30 for social
   */
  fps?: number;
}

/**
 * Broadcast (EBU/BBC/Netflix-style) captions: 2 lines of at most 42 characters, reading speed at
 * most 17 characters per second, each caption on screen 1–7 s, and at least 2 frames between
 * captions (80 ms at the assumed 25 fps).
 */
export function broadcastRules({ fps = 25 }: FrameRateOptions = {}): CaptionRules {
  return {
    maxCharsPerLine: 42,
    maxLines: 2,
    maxCharsPerSecond: 17,
    minDurationMs: 1000,
    maxDurationMs: 7000,
    minGapMs: framesToMs(2, fps),
  };
}

/**
 * Social video (vertical, often watched muted, burned-in captions): one line of at most 32
 * characters, so a caption covers a few words and never hides the picture.
 *
 * - 20 characters per second: the adult limit of the Netflix English guide. Social speech is
 *   brisk, and a single short line is read at a glance, so the stricter 17 cps broadcast limit
 *   would force captions to lag behind fast-cut speech.
 * - 800 ms minimum: a 32-character line needs 1.6 s at 20 cps, but short captions ("Wait.")
 *   must still be readable; 800 ms is just under the 5/6 s broadcast minimum, matching the
 *   faster pace of the medium.
 * - 3000 ms maximum: a full line needs 1.6 s; a single short line held much longer looks frozen
 *   and drifts out of step with quick cuts.
 * - 2-frame gap at 30 fps (67 ms), the usual frame rate of phone video.
 */
export function socialRules({ fps = 30 }: FrameRateOptions = {}): CaptionRules {
  return {
    maxCharsPerLine: 32,
    maxLines: 1,
    maxCharsPerSecond: 20,
    minDurationMs: 800,
    maxDurationMs: 3000,
    minGapMs: framesToMs(2, fps),
  };
}
