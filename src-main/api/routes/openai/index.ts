/**
 * OpenAI-compatible speech to text: `POST /v1/audio/transcriptions` and `/v1/audio/translations`
 * take the same multipart form as OpenAI's and answer in its shapes, so OpenAI's client libraries
 * work with only their base URL and key changed. The file goes to a temporary file (not the
 * library), is transcribed on the interactive lane and is deleted on every way out; a client
 * that disconnects cancels its transcription.
 */
import { rm } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../../../contract/errors';
import {
  openaiTranscription,
  openaiVerboseTranscription,
  transcriptionFields,
  transcriptionForm,
  translationFields,
  translationForm,
  type TranscriptionFields,
} from '../../../contract/openai';
import { EngineError } from '../../../engine/errors';
import type { ModelManager } from '../../../engine/models/model-manager';
import { dataLayout } from '../../../engine/paths';
import { receiveUpload, uploadRouteValidator, type ReceivedUpload } from '../../uploads';
import { raiseUploadLimitHint } from '../media';
import { openaiReply } from './responses';

/** Requests that may transcribe at once; more are told to come back (429 with Retry-After). */
export const maxConcurrentTranscriptions = 4;
const retryAfterSec = 5;

/**
 * The model a request names, or null for the default: our own ids (catalog or imported) as
 * they are, OpenAI's names (`whisper-1`, `gpt-4o-transcribe`, …) mean "the default model".
 */
export function requestedModel(model: string | undefined, models: ModelManager): string | null {
  if (model === undefined || models.get(model)) return model ?? null;
  if (/^(whisper|gpt)-/i.test(model)) return null;
  throw new EngineError(
    'MODEL_UNKNOWN',
    `There is no model "${model}". Name one of this studio's models, or "whisper-1" for the default model.`,
    { details: { model, modelId: model } },
  );
}

/** The text fields of the form, checked: one value per name, several for names ending in `[]`. */
function parseFields<S extends typeof translationFields | typeof transcriptionFields>(
  schema: S,
  fields: ReceivedUpload['fields'],
): z.infer<S> {
  const flat = Object.fromEntries(
    Object.entries(fields).map(([name, values]) => [
      name,
      name.endsWith('[]') ? values : values.at(-1),
    ]),
  );
  const parsed = schema.safeParse(flat);
  if (parsed.success) return parsed.data as z.infer<S>;
  const issue = parsed.error.issues[0]!;
  throw new EngineError(
    'INVALID_ARGUMENT',
    `Invalid form field "${issue.path.join('.')}": ${issue.message}.`,
    { cause: parsed.error, details: { field: issue.path.join('.') } },
  );
}

const responses = {
  200: {
    description: 'The transcript in `response_format`: JSON for json and verbose_json, else text.',
    content: {
      'application/json': { schema: z.union([openaiVerboseTranscription, openaiTranscription]) },
      'text/plain': { schema: z.string() },
      'application/x-subrip': { schema: z.string() },
      'text/vtt': { schema: z.string() },
    },
  },
  400: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  413: errorResponse,
  422: errorResponse,
  429: errorResponse,
};

const formDescription =
  'multipart/form-data as OpenAI takes it. `model`: an id from GET /v1/models, or `whisper-1` ' +
  '(any OpenAI name) for the default model. The file may be any media ffmpeg reads, up to the ' +
  '`mediaLimits` settings. At most ' +
  `${maxConcurrentTranscriptions} requests transcribe at once; more get 429 with Retry-After.`;

export const openaiRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;
  const tempDir = dataLayout(engine.dataDir).temp;
  let running = 0;

  const handle =
    (task: 'transcribe' | 'translate') => async (request: FastifyRequest, reply: FastifyReply) => {
      if (running >= maxConcurrentTranscriptions) {
        throw new EngineError(
          'QUEUE_FULL',
          `${maxConcurrentTranscriptions} transcriptions are already running; try again in ${retryAfterSec} s.`,
          { details: { retryAfterSec } },
        );
      }
      running += 1;
      // A response closed before it finished means the client went away: stop working for it.
      const clientGone = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableFinished) {
          clientGone.abort(new EngineError('CANCELLED', 'The client closed the connection.'));
        }
      };
      reply.raw.on('close', onClose);
      let upload: ReceivedUpload | undefined;
      let answer;
      try {
        upload = await receiveUpload(request, {
          dir: tempDir,
          maxBytes: engine.settings.get().mediaLimits.maxBytes,
          raiseLimitHint: raiseUploadLimitHint,
        });
        const fields: Partial<TranscriptionFields> & z.infer<typeof translationFields> =
          task === 'transcribe'
            ? parseFields(transcriptionFields, upload.fields)
            : parseFields(translationFields, upload.fields);
        const granularities = fields['timestamp_granularities[]'] ?? [];
        if (granularities.length > 0 && fields.response_format !== 'verbose_json') {
          throw new EngineError(
            'INVALID_ARGUMENT',
            'timestamp_granularities[] needs response_format=verbose_json.',
          );
        }
        const file = upload.path;
        const modelId = requestedModel(fields.model, engine.models);
        const result = await engine.tasks.run(
          `transcribing ${upload.filename}`,
          (signal) =>
            engine.transcriptions.transcribeFile({
              file,
              // The Settings fill what the form leaves out, as for every transcription; the
              // answer has no speakers, so none are looked for.
              params: {
                ...(modelId !== null && { modelId }),
                ...(fields.language !== undefined && { language: fields.language }),
                translate: task === 'translate',
                speakers: { mode: 'off' },
              },
              ...(fields.prompt !== undefined && { prompt: fields.prompt }),
              ...(fields.temperature !== undefined && { temperature: fields.temperature }),
              signal,
            }),
          clientGone.signal,
        );
        answer = openaiReply(result, {
          format: fields.response_format,
          task,
          granularities,
          temperature: fields.temperature ?? 0,
        });
      } finally {
        // Before anything is sent, so that no temporary file outlives its response.
        running -= 1;
        reply.raw.off('close', onClose);
        if (upload) await rm(upload.path, { force: true });
      }
      return reply.type(answer.contentType).send(answer.body);
    };

  app.post(
    '/audio/transcriptions',
    {
      config: { scope: 'transcribe' },
      validatorCompiler: uploadRouteValidator(),
      schema: {
        summary: 'Transcribe audio (OpenAI-compatible)',
        description: formDescription,
        consumes: ['multipart/form-data'],
        body: transcriptionForm,
        response: responses,
      },
    },
    handle('transcribe'),
  );

  app.post(
    '/audio/translations',
    {
      config: { scope: 'transcribe' },
      validatorCompiler: uploadRouteValidator(),
      schema: {
        summary: 'Translate speech to English text (OpenAI-compatible)',
        description: formDescription,
        consumes: ['multipart/form-data'],
        body: translationForm,
        response: responses,
      },
    },
    handle('translate'),
  );
};
