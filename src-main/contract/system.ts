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
  /** The engine log (JSON lines, rotated beside it as .1, .2); null when it goes elsewhere. */
  logFile: z.string().nullable(),
  ffmpeg: z.object({
    available: z.boolean(),
    ffmpegPath: z.string().nullable(),
    ffprobePath: z.string().nullable(),
    /** Why ffmpeg is unavailable, with what to install. */
    problem: z.string().nullable(),
  }),
  whisper: z.object({
    /** Whether the native addon loads; `problem` says what to do when it does not. */
    addon: z.object({
      available: z.boolean(),
      features: z.string().nullable(),
      problem: z.string().nullable(),
    }),
    devices: z.array(
      z.object({
        name: z.string(),
        type: z.string(),
        backend: z.string(),
        memoryFreeMb: z.number(),
        memoryTotalMb: z.number(),
      }),
    ),
    plan: z.object({
      workers: z.number().int(),
      threadsPerWorker: z.number().int(),
      useGpu: z.boolean(),
      reason: z.string(),
    }),
    /** Worker processes start with the first transcription. */
    workers: z.array(z.object({ id: z.number(), pid: z.number().nullable(), busy: z.boolean() })),
    queued: z.object({ live: z.number(), interactive: z.number(), batch: z.number() }),
    running: z.number().int(),
  }),
});
export type SystemInfo = z.infer<typeof systemInfo>;
