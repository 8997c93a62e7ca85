import { z } from 'zod';
import { captionPresetId, captionRules } from './document';
import { glossary } from './glossary';
import { speakerDetection } from './speakers';

/** What a transcription job is asked to do. Every field that changes the output is in the cache key. */
export const transcribeParams = z.object({
  /** A ready model from `models list` (catalog id or imported id). */
  modelId: z.string().min(1),
  /** ISO 639-1 code, or 'auto' to detect. @default 'auto' */
  language: z.string().min(2).default('auto'),
  /** Translate to English instead of transcribing. @default false */
  translate: z.boolean().default(false),
  /** Skip silence with the Silero VAD when its model is installed. @default true */
  vad: z.boolean().default(true),
  /** Caption preset the document is wrapped with. @default 'broadcast' */
  preset: captionPresetId.default('broadcast'),
  /** Rules for the 'custom' preset. */
  customRules: captionRules.optional(),
  glossary: glossary.optional(),
  /** Words below this confidence are flagged. @default 0.5 */
  lowConfidence: z.number().min(0).max(1).default(0.5),
  /**
   * Draft then refine: after the first pass, stretches whose mean word confidence is below
   * `threshold` are transcribed again with the (larger) `modelId` and merged in.
   */
  refine: z
    .object({ modelId: z.string().min(1), threshold: z.number().min(0).max(1).default(0.6) })
    .optional(),
  /** Find who speaks when. @default off */
  speakers: speakerDetection.prefault({}),
  /** Transcribe only this span of the media. */
  span: z
    .object({ startMs: z.number().int().nonnegative(), endMs: z.number().int().positive() })
    .optional(),
});
export type TranscribeParams = z.infer<typeof transcribeParams>;
export type TranscribeParamsInput = z.input<typeof transcribeParams>;

/**
 * What `POST /v1/jobs` takes for a transcription: the model, language, VAD, caption preset and
 * speaker detection may be left out, and then come from the settings (`defaultModel`,
 * `defaultLanguage`, `vad`, `defaultPreset`, `defaultSpeakers`).
 */
export const transcribeRequestParams = transcribeParams.extend({
  modelId: z.string().min(1).optional(),
  language: z.string().min(2).optional(),
  vad: z.boolean().optional(),
  preset: captionPresetId.optional(),
  speakers: speakerDetection.optional(),
});
export type TranscribeRequestParams = z.input<typeof transcribeRequestParams>;

export const jobLane = z.enum(['live', 'interactive', 'batch']);
export const jobState = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
export type JobState = z.infer<typeof jobState>;

/** A job as the API shows it: stored state plus live progress, ETA and queue position. */
export const jobView = z.object({
  id: z.string(),
  kind: z.string(),
  state: jobState,
  stage: z.string().nullable(),
  /** 0..100 over all stages. */
  percent: z.number(),
  etaSec: z.number().nullable(),
  queuePosition: z.number().int().nullable(),
  lane: jobLane,
  mediaId: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  result: z.unknown(),
  /** `details`: what the remedy is worked out from (`fix`, `modelId`, `url`), when there is one. */
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    })
    .nullable(),
  note: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobView = z.infer<typeof jobView>;

/** `GET /v1/jobs`: one page of jobs, newest first. */
export const jobList = z.object({
  jobs: z.array(jobView),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as `cursor` for the next page; null on the last page.'),
});
export type JobList = z.infer<typeof jobList>;

/** `state=queued,running` or `state=queued&state=running`: one state or several. */
const jobStateFilter = z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
  const names = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(','));
  const states: JobState[] = [];
  for (const name of names) {
    const parsed = jobState.safeParse(name);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message: `"${name}" is not a job state; use ${jobState.options.join(', ')} (several comma-separated).`,
      });
      return z.NEVER;
    }
    if (!states.includes(parsed.data)) states.push(parsed.data);
  }
  return states;
});

/** `GET /v1/jobs` query. */
export const jobListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Jobs per page.'),
  cursor: z
    .string()
    .max(200)
    .optional()
    .describe('The `nextCursor` of the previous page; leave out to start from the newest job.'),
  state: jobStateFilter
    .optional()
    .describe(
      'Only jobs in these states: one, several comma-separated (`queued,running`) or repeated.',
    ),
  kind: z.string().min(1).max(64).optional().describe('Only jobs of this kind.'),
  mediaId: z.string().min(1).max(200).optional().describe('Only jobs of this library item.'),
});
export type JobListQuery = z.input<typeof jobListQuery>;

/**
 * The lane a job asks for. The server decides lanes (engine/jobs/lanes.ts): transcribe → batch,
 * retranscribe-span → interactive, export → batch or interactive; anything else (`live` above
 * all) is refused with 400. Best left out.
 */
const requestedLane = jobLane
  .optional()
  .describe(
    'Best left out: the server decides (transcribe → batch, retranscribe-span → interactive, export → batch or interactive); any other lane, live above all, is refused with 400.',
  );

export const exportFormat = z.enum(['srt', 'vtt', 'txt', 'json', 'csv', 'docx']);

/**
 * What an export job writes, and where. The file must be inside the data folder's `exports/` or
 * a folder allowed in Settings (`exportFolders`), and never replaces a file the studio did not
 * write unless `overwrite` is set, which needs an admin token. Scripts usually download instead:
 * `GET /v1/transcripts/:id/export` or `GET /v1/jobs/:id/result`.
 */
export const exportParams = z.object({
  transcriptId: z.string().min(1).max(200),
  format: exportFormat,
  path: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .describe(
      'Absolute path of the file, inside `exports/` of the data folder or a folder allowed in Settings (exportFolders). Left out: `exports/<media name>.<format>`.',
    ),
  /** Re-wrap the captions with this preset on the way out. */
  preset: z.enum(['broadcast', 'social']).optional(),
  overwrite: z
    .boolean()
    .default(false)
    .describe('Replace a file the studio did not write. Needs an admin token.'),
});
export type ExportParams = z.infer<typeof exportParams>;

/**
 * Transcribe one stretch of a transcript again and merge the new words in (the editor's
 * "transcribe again"). An edit saved meanwhile wins: the job then fails with CONFLICT.
 */
export const retranscribeSpanParams = z
  .object({
    transcriptId: z.string().min(1).max(200),
    startMs: z.number().int().nonnegative(),
    endMs: z.number().int().positive(),
    /** @default the model the transcript was made with */
    modelId: z.string().min(1).optional(),
    /** @default the transcript's language */
    language: z.string().min(2).optional(),
  })
  .refine((p) => p.endMs > p.startMs, { message: 'endMs must be after startMs', path: ['endMs'] });
export type RetranscribeSpanParams = z.infer<typeof retranscribeSpanParams>;

/** What a completed transcription job returns. */
export const transcribeJobResult = z.object({
  transcriptId: z.string(),
  /** True when the result cache answered and no model ran. */
  cached: z.boolean(),
  /** Spans a larger model transcribed again (draft then refine). */
  refinedSpans: z.number().int().nonnegative().optional(),
});
export type TranscribeJobResult = z.infer<typeof transcribeJobResult>;

/** What a completed span re-transcription returns. */
export const retranscribeSpanJobResult = z.object({
  transcriptId: z.string(),
  /** The transcript's version after the merge. */
  version: z.number().int(),
  replacedWordIds: z.array(z.string()),
  insertedWordIds: z.array(z.string()),
});
export type RetranscribeSpanJobResult = z.infer<typeof retranscribeSpanJobResult>;

/** What a completed export job returns: the file it wrote, and which file it was. */
export const exportJobResult = z.object({
  path: z.string(),
  format: exportFormat,
  bytes: z.number().int().nonnegative(),
  /** Device, inode and mtime when written: a later export may replace only this file. */
  file: z.object({ path: z.string(), dev: z.number(), ino: z.number(), mtimeMs: z.number() }),
});
export type ExportJobResult = z.infer<typeof exportJobResult>;

/** `POST /v1/jobs`: one of the job kinds with its parameters. */
export const createJobBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('transcribe'),
    mediaId: z.string().min(1),
    lane: requestedLane,
    params: transcribeRequestParams.prefault({}),
  }),
  z.object({
    kind: z.literal('retranscribe-span'),
    lane: requestedLane,
    params: retranscribeSpanParams,
  }),
  z.object({
    kind: z.literal('export'),
    lane: jobLane.optional(),
    params: exportParams,
  }),
]);
export type CreateJobBody = z.input<typeof createJobBody>;

export const jobResultQuery = z.object({ format: exportFormat.default('json') });
