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

/** A file in the library. */
export const mediaItem = z.object({
  id: z.string(),
  path: z.string(),
  name: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  durationSec: z.number().nonnegative(),
  container: z.string(),
  audioCodec: z.string(),
  sampleRate: z.number().int(),
  channels: z.number().int(),
  hasVideo: z.boolean(),
  sha256: z.string().nullable(),
  createdAt: z.string(),
});
export type MediaItem = z.infer<typeof mediaItem>;

export const mediaList = z.object({ media: z.array(mediaItem) });

/** `POST /v1/media` with JSON: add a file that is already on this machine. */
export const addMediaBody = z.object({ path: z.string().min(1) });

export const idParams = z.object({ id: z.string().min(1) });
