/**
 * Caption presets: the rules each named preset stands for, and validation of custom rules.
 *
 * Frame rate: the minimum gap between captions is a broadcast convention counted in frames (two
 * frames), so its length in milliseconds depends on the frame rate of the video the captions go
 * with. Documents do not record a frame rate, so `broadcast` assumes 25 fps (PAL/EBU, the rate
 * the EBU and BBC guidelines are written for): 2 frames = 80 ms. Pass `fps` for other material
 * (e.g. 29.97 → 67 ms). `social` assumes 30 fps, the common rate of phone video.
 */
import { z } from 'zod';
import { captionRules, type CaptionRules } from '../../contract/document';
import { EngineError } from '../errors';

export type CaptionPresetId = 'broadcast' | 'social' | 'custom';

/** Milliseconds `frames` video frames last at `fps`, rounded to the nearest millisecond. */
export function framesToMs(frames: number, fps: number): number {
  if (!(Number.isFinite(frames) && frames >= 0 && Number.isFinite(fps) && fps > 0)) {
    throw new EngineError(
      'INVALID_ARGUMENT',
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

/**
 * Input for custom rules: the contract's `CaptionRules`, except that the minimum gap may be given
 * in frames (`minGapFrames` at `fps`) instead of milliseconds.
 */
export const customRulesInput = captionRules
  .extend({
    minGapMs: captionRules.shape.minGapMs.optional(),
    minGapFrames: z.number().int().nonnegative().optional(),
    fps: z.number().positive().optional(),
  })
  .refine((r) => (r.minGapMs === undefined) !== (r.minGapFrames === undefined), {
    message: 'Give exactly one of minGapMs and minGapFrames.',
    path: ['minGapMs'],
  })
  .refine((r) => r.minGapFrames === undefined || r.fps !== undefined, {
    message: 'minGapFrames needs fps.',
    path: ['fps'],
  })
  .refine((r) => r.maxDurationMs > 0 && r.minDurationMs <= r.maxDurationMs, {
    message: 'maxDurationMs must be > 0 and ≥ minDurationMs.',
    path: ['maxDurationMs'],
  });
export type CustomRulesInput = z.input<typeof customRulesInput>;

/**
 * Validates custom rules (from a user, the API or a file) and returns them as `CaptionRules`.
 * Throws INVALID_ARGUMENT listing every problem.
 */
export function customRules(input: unknown): CaptionRules {
  const parsed = customRulesInput.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'rules'}: ${i.message}`);
    throw new EngineError('INVALID_ARGUMENT', `Invalid caption rules: ${problems.join('; ')}`, {
      cause: parsed.error,
      details: { issues: parsed.error.issues },
    });
  }
  const { minGapMs, minGapFrames, fps, ...rest } = parsed.data;
  return {
    ...rest,
    minGapMs: minGapMs ?? framesToMs(minGapFrames ?? 0, fps ?? 25),
  };
}

/**
 * The rules for a preset. `custom` needs `custom` rules (validated by `customRules`); the named
 * presets take an optional frame rate.
 */
export function presetRules(
  preset: CaptionPresetId,
  options: FrameRateOptions & { custom?: unknown } = {},
): CaptionRules {
  switch (preset) {
    case 'broadcast':
      return broadcastRules(options);
    case 'social':
      return socialRules(options);
    case 'custom':
      if (options.custom === undefined) {
        throw new EngineError('INVALID_ARGUMENT', 'The custom caption preset needs custom rules.');
      }
      return customRules(options.custom);
    default:
      throw new EngineError(
        'INVALID_ARGUMENT',
        `Unknown caption preset "${String(preset)}". Valid presets: broadcast, social, custom.`,
      );
  }
}
