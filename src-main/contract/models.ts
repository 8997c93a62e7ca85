import { z } from 'zod';
import { errorResponse } from './errors';
import { absolutePath, binaryFile } from './media';

export const modelKind = z.enum(['whisper', 'vad', 'segmentation', 'embedding']);
export const modelState = z.enum(['missing', 'downloading', 'ready', 'corrupt']);

export const downloadProgress = z.object({
  receivedBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative().nullable(),
  bytesPerSec: z.number().nonnegative(),
});

/** One model as the library sees it: a catalog entry or an imported file, with its state. */
export const modelStatus = z.object({
  id: z.string(),
  kind: modelKind,
  name: z.string(),
  description: z.string(),
  source: z.enum(['catalog', 'import']),
  sizeBytes: z.number().int().nonnegative(),
  /** ISO 639-1 codes, or "multi" for a multilingual Whisper model; read from the header of an imported file. */
  languages: z.array(z.string()),
  /** Whisper size class (tiny, base, small, medium, large…), from the catalog or the file's header. */
  family: z.string().nullable(),
  license: z.string().nullable(),
  recommended: z.boolean(),
  status: modelState,
  /** Where the file is, when it is on disk. */
  path: z.string().nullable(),
  /** While downloading. */
  progress: downloadProgress.nullable(),
  /** Bytes of an interrupted download that the next download resumes from. */
  partialBytes: z.number().int().nonnegative(),
  /** Why the model is corrupt, or why its last download failed (the message of `lastError`). */
  error: z.string().nullable(),
  /**
   * The last download's failure (code, message, facts such as the URL), kept until a new download
   * starts or the model is installed, imported or deleted.
   */
  lastError: errorResponse.shape.error.nullable(),
});
export type ModelStatus = z.infer<typeof modelStatus>;

export const modelList = z.object({ models: z.array(modelStatus) });
export type ModelList = z.infer<typeof modelList>;

export const modelIdParams = z.object({ id: z.string().min(1) });

/** `GET /v1/models/recommendation?language=en`: the Whisper model that fits this machine. */
export const modelRecommendationQuery = z.object({
  language: z
    .string()
    .regex(/^([a-z]{2,3}|auto)$/)
    .optional()
    .describe('The language to transcribe (ISO 639-1) or "auto"; default: the Settings default.'),
});

export const modelRecommendation = z.object({
  /** A catalog model id. */
  id: z.string(),
  name: z.string(),
  /** One line a person can read: the machine and the expected speed. */
  reason: z.string(),
  /** Estimated seconds of audio transcribed per second on this machine (a rough figure). */
  speedFactor: z.number().positive(),
  machine: z.object({
    cores: z.number().int().positive(),
    /** Threads a transcription uses (the worker plan's). */
    threads: z.number().int().positive(),
    memoryMb: z.number().int().positive(),
    /** The GPU transcriptions run on; null on the CPU. */
    gpu: z.string().nullable(),
  }),
});
export type ModelRecommendation = z.infer<typeof modelRecommendation>;

/** Id for an imported file that matches no catalog entry (a catalog file keeps its catalog id). */
const importId = z
  .string()
  .min(1)
  .optional()
  .describe('Lowercase letters, digits, ".", "_" and "-". Default: from the file name.');

/** `POST /v1/models/import` with JSON: copy in a model file on the machine running the engine. */
export const importModelBody = z.object({
  path: absolutePath.describe('A ggml model file, e.g. /models/ggml-base.en.bin.'),
  id: importId,
});
export type ImportModelBody = z.infer<typeof importModelBody>;

/** `POST /v1/models/import` with multipart/form-data: upload a model file. */
export const importModelForm = z.object({
  file: binaryFile.describe('The ggml model file, streamed to disk.'),
  id: importId,
});

/** Everything `POST /v1/models/import` accepts, for the API description (see addMediaRequest). */
export const importModelRequest = z.union([importModelBody, importModelForm]);
