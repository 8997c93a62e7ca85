import { errorCodes, type FastifyReply, type FastifyRequest } from 'fastify';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import { errorResponse } from '../../../contract/errors';
import { idParams } from '../../../contract/media';
import {
  maxTranscriptBodyBytes,
  patchTranscriptBody,
  transcriptExportQuery,
  transcriptView,
} from '../../../contract/transcripts';
import { presetRules } from '../../../engine/captions/presets';
import { createDocumentWorker } from '../../../engine/documents/document-worker';
import { prepareSave, type PreparedSave } from '../../../engine/documents/prepare-save';
import { EngineError } from '../../../engine/errors';
import type { TranscriptHead } from '../../../engine/store/transcripts-repo';
import { exportBaseName, exportResponses, sendExport } from './export-reply';

/**
 * The `transcriptView` answer as JSON text, with the document's JSON text put in as it is: a
 * stored complete document, or one just prepared for storage, is already `JSON.stringify`'s
 * output, so a 3-hour document is not parsed and written again on the event loop. The fields
 * come in `transcriptView`'s order, as the view object gave them before.
 */
const viewJson = (t: TranscriptHead, documentJson: Buffer | string): Buffer => {
  const head = JSON.stringify({
    id: t.id,
    mediaId: t.mediaId,
    modelId: t.modelId,
    language: t.language,
    version: t.version,
    status: t.status,
  });
  const tail = JSON.stringify({ createdAt: t.createdAt, updatedAt: t.updatedAt });
  return Buffer.concat([
    Buffer.from(`${head.slice(0, -1)},"document":`),
    typeof documentJson === 'string' ? Buffer.from(documentJson) : documentJson,
    Buffer.from(`,${tail.slice(1)}`),
  ]);
};

/** Sends JSON bytes as they are (Fastify sends a Buffer with a type set without serialising it). */
const sendJson = (reply: FastifyReply, json: Buffer) =>
  reply.type('application/json; charset=utf-8').send(json);

/**
 * PATCH bodies from this size up are parsed and checked in the document worker thread; smaller
 * ones inline, where the round trip costs more than the work (measured on 2 shared cores: 32 KiB
 * 2.5 ms inline against 5.3 ms through the worker; ~240 KiB, about 10 minutes of speech, ~10.5 ms
 * either way; 1 MiB 27 ms inline, all of it on the event loop).
 */
export const offThreadBodyBytes = 256 * 1024;

/** The answer `prepareSave` gives for a body that is not a document, as the API gave it before. */
function refusal(result: Exclude<PreparedSave, { ok: true }>): Error {
  switch (result.problem) {
    case 'empty':
      return new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY();
    case 'json':
      return new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
    case 'schema':
      return new EngineError(
        'INVALID_ARGUMENT',
        `Invalid request at ${result.path}: ${result.message}`,
      );
    case 'document':
      return new EngineError('INVALID_ARGUMENT', result.message, { details: result.details });
  }
}

export const transcriptRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;
  const documents = createDocumentWorker();
  app.addHook('onClose', () => documents.close());
  const mustGet = (id: string) => {
    const transcript = engine.repos.transcripts.get(id);
    if (!transcript) throw new EngineError('NOT_FOUND', `There is no transcript ${id}.`);
    return transcript;
  };

  // The PATCH body is kept as text and parsed by `prepareSave` (in the worker when large), not
  // by Fastify and the body schema on the event loop; other JSON bodies parse as everywhere.
  const patchBodies = new WeakMap<FastifyRequest, string>();
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (request.method === 'PATCH') {
      patchBodies.set(request, text);
      done(null, undefined);
    } else {
      defaultJson(request, text, done);
    }
  });
  // …and the body schema is left to `prepareSave` (it still documents the body).
  app.setValidatorCompiler<ZodType>((route) =>
    route.method === 'PATCH' && route.httpPart === 'body'
      ? () => ({ value: undefined })
      : validatorCompiler(route),
  );

  app.get(
    '/transcripts/:id',
    {
      schema: {
        summary: 'Get a transcript: its document and version',
        params: idParams,
        response: { 200: transcriptView, 404: errorResponse },
      },
    },
    async (request, reply) => {
      const found = engine.repos.transcripts.getJson(request.params.id);
      if (!found)
        throw new EngineError('NOT_FOUND', `There is no transcript ${request.params.id}.`);
      return sendJson(reply, viewJson(found.head, found.documentJson));
    },
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
    async (request, reply) => {
      const text = patchBodies.get(request) ?? '';
      const large = text.length >= offThreadBodyBytes;
      const prepared = large ? await documents.prepareSave(text) : prepareSave(text);
      if (!prepared.ok) throw refusal(prepared);
      const { id } = request.params;
      const transcripts = engine.repos.transcripts;
      const current = transcripts.getHead(id);
      if (!current) throw new EngineError('NOT_FOUND', `There is no transcript ${id}.`);
      if (current.status !== 'complete') {
        throw new EngineError(
          'CONFLICT',
          'This transcript is still being made; edit it once its job has finished.',
        );
      }
      const { version, document } = prepared;
      const database = transcripts.databasePath;
      // A large document's row is written by the worker too (~30 ms for 3 hours); the search
      // rows follow here, in slices.
      const saved =
        large && database !== undefined
          ? await transcripts.reindexWritten(
              id,
              version,
              await documents.write({
                database,
                transcriptId: id,
                expectedVersion: version,
                document: { json: document.json, counts: document.counts },
              }),
              document.rows,
            )
          : await transcripts.replace(id, version, document);
      return sendJson(reply, viewJson(saved, document.json));
    },
  );
};
