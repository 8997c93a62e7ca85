import { z } from 'zod';

/**
 * A stretch of media time in whole milliseconds, end exclusive: speech regions, spans to
 * transcribe again, weak stretches to refine. The one range type of the engine and the API;
 * seconds appear only where a file format or an audio model needs them.
 */
export const timeRange = z
  .object({ startMs: z.number().int().nonnegative(), endMs: z.number().int().positive() })
  .refine((range) => range.endMs > range.startMs, 'endMs must be after startMs');
export type TimeRange = z.infer<typeof timeRange>;
