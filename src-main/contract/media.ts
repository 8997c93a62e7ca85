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

/** The newest transcript of a library item, in brief. */
export const mediaTranscriptSummary = z.object({
  id: z.string(),
  /** 'partial' while its job is still adding segments. */
  status: z.enum(['partial', 'complete']),
  language: z.string().nullable(),
  /** Entries in the document's speaker list. */
  speakerCount: z.number().int().nonnegative(),
  wordCount: z.number().int().nonnegative(),
  updatedAt: z.string(),
});
export type MediaTranscriptSummary = z.infer<typeof mediaTranscriptSummary>;

/** The newest queued or running job of a library item. */
export const mediaActiveJob = z.object({
  id: z.string(),
  state: z.enum(['queued', 'running']),
  /** 0..100 over all stages, as last saved (at most a quarter of a second old). */
  percent: z.number(),
});
export type MediaActiveJob = z.infer<typeof mediaActiveJob>;

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
  /** Its newest transcript, or null when it has none. */
  transcript: mediaTranscriptSummary.nullable(),
  /** Its newest job that is queued or running, or null when none is. */
  job: mediaActiveJob.nullable(),
});
export type MediaItem = z.infer<typeof mediaItem>;

export const mediaSort = z.enum(['created-desc', 'created-asc', 'name', 'duration']);
export type MediaSort = z.infer<typeof mediaSort>;
export const mediaStatusFilter = z.enum(['any', 'transcribed', 'untranscribed']);
export type MediaStatusFilter = z.infer<typeof mediaStatusFilter>;

/** `GET /v1/media` query. */
export const mediaListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  sort: mediaSort
    .default('created-desc')
    .describe(
      'created-desc: newest first; created-asc: oldest first; name: A→Z, ignoring case; duration: shortest first.',
    ),
  q: z
    .string()
    .max(200)
    .optional()
    .describe('Only items whose name contains this text, ignoring case.'),
  status: mediaStatusFilter
    .default('any')
    .describe(
      'transcribed: items with at least one complete transcript; untranscribed: items without one.',
    ),
});
export type MediaListQuery = z.input<typeof mediaListQuery>;

export const mediaList = z.object({
  media: z.array(mediaItem),
  /** Items matching the filters, over all pages. */
  total: z.number().int().nonnegative(),
});
export type MediaList = z.infer<typeof mediaList>;

/** `POST /v1/media/:id/stream-url`: a URL for `<audio>`/`<video>`, which cannot send a token. */
export const mediaStreamUrl = z.object({
  /**
   * `/v1/media/<id>/file?exp=…&tid=…&sig=…`, relative to the API's base URL; needs no token, and
   * stops working when the token that asked for it is revoked.
   */
  url: z.string(),
  /** ISO time after which the URL is refused (6 hours after it was made). */
  expiresAt: z.string(),
});
export type MediaStreamUrl = z.infer<typeof mediaStreamUrl>;

/** `GET /v1/media/:id/peaks`: the waveform, for wavesurfer.js (`peaks: [peaks]`, `duration`). */
export const mediaPeaks = z.object({
  /** Length of the decoded audio. */
  durationSec: z.number().nonnegative(),
  /** Peaks per second of audio (100 by default). */
  peaksPerSecond: z.number().positive(),
  /**
   * One value per 1/peaksPerSecond of audio: the sample with the largest magnitude, sign kept,
   * in -1..1 (rounded to 4 decimals).
   */
  peaks: z.array(z.number().min(-1).max(1)),
});
export type MediaPeaks = z.infer<typeof mediaPeaks>;

/** A POSIX, Windows drive or UNC absolute path (no node:path here: the UI imports this module). */
const isAbsolutePath = (path: string) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path);

/** A path on the machine running the engine, which must be absolute. */
export const absolutePath = z
  .string()
  .min(1)
  .refine(isAbsolutePath, 'must be an absolute path on the machine running the engine');

/** `POST /v1/media` with JSON: add a file that is already on the machine running the engine. */
export const addMediaBody = z.object({ path: absolutePath });
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
