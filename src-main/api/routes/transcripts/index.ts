import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponse } from '../../../contract/errors';
import { idParams } from '../../../contract/media';
import {
  maxTranscriptBodyBytes,
  patchTranscriptBody,
  transcriptExportQuery,
  transcriptView,
  type TranscriptView,
} from '../../../contract/transcripts';
import { presetRules } from '../../../engine/captions/presets';
import { checkInvariants } from '../../../engine/documents/validate';
import { EngineError } from '../../../engine/errors';
import type { TranscriptRecord } from '../../../engine/store/transcripts-repo';
import { exportBaseName, exportResponses, sendExport } from './export-reply';

/** What the API shows of a stored transcript (not its job or result-cache key). */
const toView = (t: TranscriptRecord): TranscriptView => ({
  id: t.id,
  mediaId: t.mediaId,
  modelId: t.modelId,
  language: t.language,
  version: t.version,
  status: t.status,
  document: t.document,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

/**
 * Transcript answers are written as they are typed, without the response schema's second pass
 * over the document: documents are validated where they come in (the PATCH body) and typed from
 * the store on, and encoding a 3-hour document through the schema held the event loop for
 * ~0.6 s on every GET. The schema still documents the answer.
 */
const typedJson = () => (data: unknown) => JSON.stringify(data);

export const transcriptRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;
  const mustGet = (id: string) => {
    const transcript = engine.repos.transcripts.get(id);
    if (!transcript) throw new EngineError('NOT_FOUND', `There is no transcript ${id}.`);
    return transcript;
  };

  app.get(
    '/transcripts/:id',
    {
      serializerCompiler: typedJson,
      schema: {
        summary: 'Get a transcript: its document and version',
        params: idParams,
        response: { 200: transcriptView, 404: errorResponse },
      },
    },
    (request) => toView(mustGet(request.params.id)),
  );

  app.get(
    '/transcripts/:id/export',
    {
      schema: {
        summary: 'Download a transcript as SRT, VTT, TXT, JSON, CSV or DOCX',
        description:
          'The file is an attachment named after the media. With `preset`, the captions are ' +
          're-wrapped under that preset’s rules (GET /v1/caption-presets) for this export only; ' +
          'the stored transcript is not changed.',
        params: idParams,
        querystring: transcriptExportQuery,
        response: { ...exportResponses },
      },
    },
    async (request, reply) => {
      const transcript = mustGet(request.params.id);
      const { format, preset } = request.query;
      return sendExport(reply, {
        document: transcript.document,
        format,
        baseName: exportBaseName(engine, transcript.mediaId),
        ...(preset && { rules: presetRules(preset) }),
      });
    },
  );

  // Edits carry the version they were made from: a stale one gets 409, never a silent overwrite.
  app.patch(
    '/transcripts/:id',
    {
      // Fastify's default (1 MiB) holds about 40 minutes of speech.
      bodyLimit: maxTranscriptBodyBytes,
      serializerCompiler: typedJson,
      schema: {
        summary: 'Save an edited transcript (409 when the version is stale)',
        params: idParams,
        body: patchTranscriptBody,
        response: {
          200: transcriptView,
          400: errorResponse,
          404: errorResponse,
          409: errorResponse,
        },
      },
    },
    (request) => {
      const current = mustGet(request.params.id);
      if (current.status !== 'complete') {
        throw new EngineError(
          'CONFLICT',
          'This transcript is still being made; edit it once its job has finished.',
        );
      }
      // The body schema parsed the document; what it cannot state is checked here.
      const { document, version } = request.body;
      checkInvariants(document);
      return toView(engine.repos.transcripts.update(current.id, version, document));
    },
  );
};
