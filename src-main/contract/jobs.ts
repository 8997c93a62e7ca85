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
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  note: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobView = z.infer<typeof jobView>;
export const jobList = z.object({ jobs: z.array(jobView) });

/** `POST /v1/jobs`: one of the job kinds with its parameters. */
export const createJobBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('transcribe'),
    mediaId: z.string().min(1),
    lane: jobLane.optional(),
    params: transcribeRequestParams.prefault({}),
  }),
  z.object({
    kind: z.literal('retranscribe-span'),
    lane: jobLane.optional(),
    params: z.object({
      transcriptId: z.string().min(1),
      startMs: z.number().int().nonnegative(),
      endMs: z.number().int().positive(),
      modelId: z.string().min(1).optional(),
      language: z.string().min(2).optional(),
    }),
  }),
  z.object({
    kind: z.literal('export'),
    lane: jobLane.optional(),
    params: z.object({
      transcriptId: z.string().min(1),
      format: z.string(),
      path: z.string().min(1),
      preset: z.enum(['broadcast', 'social']).optional(),
    }),
  }),
]);
export type CreateJobBody = z.input<typeof createJobBody>;

export const exportFormat = z.enum(['srt', 'vtt', 'txt', 'json', 'csv', 'docx']);
export const jobResultQuery = z.object({ format: exportFormat.default('json') });
