/**
 * The OpenAI-compatible audio endpoints (`/v1/audio/transcriptions`, `/v1/audio/translations`):
 * the multipart form they take and the JSON they answer with, shaped like OpenAI's so that its
 * client libraries work unchanged. Times are in seconds here, as OpenAI has them.
 */
import { z } from 'zod';
import { binaryFile } from './media';

export const openaiResponseFormat = z.enum(['json', 'text', 'srt', 'vtt', 'verbose_json']);
export type OpenaiResponseFormat = z.infer<typeof openaiResponseFormat>;

export const timestampGranularity = z.enum(['word', 'segment']);
export type TimestampGranularity = z.infer<typeof timestampGranularity>;

/** The form fields of a translation request (every part but `file`). */
export const translationFields = z.object({
  model: z
    .string()
    .min(1)
    .optional()
    .describe(
      'A model id from `GET /v1/models`, or an OpenAI name such as `whisper-1` for the default model (the `defaultModel` setting, else the first ready Whisper model).',
    ),
  prompt: z
    .string()
    .optional()
    .describe(
      'Text that guides the style or spelling (names, terms) of the transcript. As with OpenAI, only its final 224 tokens count: a longer prompt is cut to its last words.',
    ),
  temperature: z.coerce
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Initial sampling temperature, 0 to 1.'),
  response_format: openaiResponseFormat.default('json'),
});

/** The form fields of a transcription request (every part but `file`). */
export const transcriptionFields = translationFields.extend({
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'must be an ISO 639-1 code such as "en"')
    .optional()
    .describe('ISO 639-1 code of the spoken language; detected when omitted.'),
  'timestamp_granularities[]': z
    .array(timestampGranularity)
    .optional()
    .describe('With `verbose_json`: `segment` (the default) and/or `word` timestamps.'),
});
export type TranscriptionFields = z.infer<typeof transcriptionFields>;

const file = binaryFile.describe('The audio or video file (any format ffmpeg reads).');
/** `POST /v1/audio/transcriptions`, multipart/form-data, for the API description. */
export const transcriptionForm = transcriptionFields.extend({ file });
/** `POST /v1/audio/translations`, multipart/form-data, for the API description. */
export const translationForm = translationFields.extend({ file });

/** `response_format=json`. */
export const openaiTranscription = z.object({ text: z.string() });

export const openaiSegment = z.object({
  id: z.number().int(),
  /** Where the segment starts, in 10 ms frames. */
  seek: z.number().int(),
  start: z.number(),
  end: z.number(),
  text: z.string(),
  /** Token ids of the segment's text. */
  tokens: z.array(z.number().int()),
  temperature: z.number(),
  avg_logprob: z.number(),
  compression_ratio: z.number(),
  no_speech_prob: z.number(),
});
export type OpenaiSegment = z.infer<typeof openaiSegment>;

export const openaiWord = z.object({ word: z.string(), start: z.number(), end: z.number() });

/** `response_format=verbose_json`: `segments` unless only words were asked for, `words` only then. */
export const openaiVerboseTranscription = z.object({
  task: z.enum(['transcribe', 'translate']),
  /** Whisper's name of the language, e.g. `english`. */
  language: z.string(),
  duration: z.number(),
  text: z.string(),
  segments: z.array(openaiSegment).optional(),
  words: z.array(openaiWord).optional(),
});
export type OpenaiVerboseTranscription = z.infer<typeof openaiVerboseTranscription>;
