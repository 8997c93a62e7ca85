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

/** A POSIX, Windows drive or UNC absolute path (no node:path here: the UI imports this module). */
const isAbsolutePath = (path: string) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path);

/** `POST /v1/media` with JSON: add a file that is already on the machine running the engine. */
export const addMediaBody = z.object({
  path: z
    .string()
    .min(1)
    .refine(isAbsolutePath, 'must be an absolute path on the machine running the engine'),
});
export type AddMediaBody = z.infer<typeof addMediaBody>;

/** A file part of a multipart/form-data body, as OpenAPI describes binary content. */
export const binaryFile = z.string().meta({ format: 'binary' });

/** `POST /v1/media` with multipart/form-data: upload a file into the library. */
export const uploadMediaForm = z.object({
  file: binaryFile.describe('The audio or video file, streamed to the engine’s uploads folder.'),
});

/**
 * Everything `POST /v1/media` accepts, for the API description: JSON `{ path }` or a multipart
 * upload. Only the JSON form is validated by schema; the route streams a multipart body itself.
 */
export const addMediaRequest = z.union([addMediaBody, uploadMediaForm]);

export const idParams = z.object({ id: z.string().min(1) });
