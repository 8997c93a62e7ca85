import { z } from 'zod';

export const mediaProbe = z.object({
  path: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  durationSec: z.number().nonnegative(),
  container: z.string(),
  audio: z.object({
    index: z.number().int(),
    codec: z.string(),
    sampleRate: z.number().int().positive(),
    channels: z.number().int().positive(),
    channelLayout: z.string().nullable(),
    bitRate: z.number().nullable(),
  }),
  audioStreamCount: z.number().int().positive(),
  video: z
    .object({ codec: z.string(), width: z.number().int(), height: z.number().int() })
    .nullable(),
});
export type MediaProbe = z.infer<typeof mediaProbe>;
