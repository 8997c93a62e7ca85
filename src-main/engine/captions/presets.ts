/**
 * Caption presets as the engine takes them: a preset id (named or `custom`) to rules, with
 * validation of custom rules (INVALID_ARGUMENT listing every problem). The named presets' rules
 * are defined once, in `src-main/common/captions/presets.ts`, and re-exported here for the engine.
 */
import { z } from 'zod';
import { captionRules, type CaptionRules } from '../../contract/document';
import {
  broadcastRules,
  framesToMs,
  socialRules,
  type CaptionPresetId,
  type FrameRateOptions,
} from '../../common/captions/presets';
import { EngineError } from '../errors';

export { broadcastRules, framesToMs, socialRules, type CaptionPresetId, type FrameRateOptions };

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
