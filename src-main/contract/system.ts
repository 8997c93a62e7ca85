import { z } from 'zod';

/** `GET /v1/system`: what the engine runs on and with. */
export const systemInfo = z.object({
  version: z.string(),
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
  cpus: z.number().int().positive(),
  totalMemoryMb: z.number().int().positive(),
  dataDir: z.string(),
  ffmpeg: z.object({
    available: z.boolean(),
    ffmpegPath: z.string().nullable(),
    ffprobePath: z.string().nullable(),
    /** Why ffmpeg is unavailable, with what to install. */
    problem: z.string().nullable(),
  }),
});
export type SystemInfo = z.infer<typeof systemInfo>;
