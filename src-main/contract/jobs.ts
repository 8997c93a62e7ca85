import { z } from 'zod';
import { captionPresetId, captionRules } from './document';
import { glossary } from './glossary';

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
  /** Transcribe only this span of the media. */
  span: z
    .object({ startMs: z.number().int().nonnegative(), endMs: z.number().int().positive() })
    .optional(),
});
export type TranscribeParams = z.infer<typeof transcribeParams>;
export type TranscribeParamsInput = z.input<typeof transcribeParams>;
