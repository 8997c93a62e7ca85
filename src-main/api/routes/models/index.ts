import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Fix } from '../../../common/remedies';
import { errorResponse } from '../../../contract/errors';
import {
  importModelBody,
  importModelRequest,
  modelIdParams,
  modelList,
  modelRecommendation,
  modelRecommendationQuery,
  modelStatus,
  type ImportModelBody,
} from '../../../contract/models';
import { EngineError } from '../../../engine/errors';
import { checkLocalPath } from '../../../engine/local-path';
import { machineFacts } from '../../../engine/models/recommend';
import { dataLayout } from '../../../engine/paths';
import { receiveUpload, uploadRouteValidator } from '../../uploads';

/** Larger than any whisper.cpp model (large-v3 in f32 is about 6 GB). */
const maxModelUploadBytes = 16 * 1024 ** 3;

/** The client's file name made safe to use as a file name here (it becomes the model's id). */
const uploadFileName = (name: string) =>
  name
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(-120) || 'model.bin';

export const modelRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;
  const mustGet = (id: string) => {
    const model = engine.models.get(id);
    if (!model) {
      throw new EngineError('MODEL_UNKNOWN', `There is no model "${id}".`, {
        details: { modelId: id },
      });
    }
    return model;
  };

  /**
   * Streams an uploaded model into a folder of its own under the engine's temp folder, under the
   * client's file name (the model id is derived from it), imports it and removes the folder.
   */
  const importUpload = async (request: FastifyRequest) => {
    const root = dataLayout(engine.dataDir).temp;
    await mkdir(root, { recursive: true });
    const folder = await mkdtemp(join(root, 'model-upload-'));
    try {
      const upload = await receiveUpload(request, {
        dir: folder,
        maxBytes: maxModelUploadBytes,
        raiseLimitHint: 'import it by path instead: JSON {"path": "/absolute/path/to/model.bin"}',
      });
      const named = join(folder, uploadFileName(upload.filename));
      await rename(upload.path, named);
      const id = upload.fields.id?.[0] || undefined;
      return await engine.tasks.run('importing a model', () =>
        engine.models.importFile(named, { id }),
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  };

  app.get(
    '/models',
    { schema: { summary: 'List every catalog and imported model', response: { 200: modelList } } },
    async () => {
      await engine.models.headersRead;
      return { models: engine.models.list() };
    },
  );

  app.get(
    '/models/recommendation',
    {
      schema: {
        summary: 'The Whisper model of the catalog that fits this machine, and why',
        description:
          'Looks at the cores, memory and GPU (as GET /v1/system reports them and the worker plan ' +
          'uses them) and picks the most accurate size class that transcribes at least about 5× ' +
          'faster than real time and fits in memory; English-only for `language=en`. The speed ' +
          'is a rough estimate, not a measurement.',
        querystring: modelRecommendationQuery,
        response: { 200: modelRecommendation, 400: errorResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const language = request.query.language ?? engine.settings.get().defaultLanguage;
      const advice = engine.models.recommend(machineFacts(await engine.system()), language);
      if (!advice) {
        throw new EngineError(
          'NOT_FOUND',
          'The model catalog has no Whisper model to recommend; import a ggml model file instead.',
          { details: { fix: 'import-model' satisfies Fix } },
        );
      }
      return advice;
    },
  );

  app.get(
    '/models/:id',
    {
      schema: {
        summary: 'Get one model and its status',
        params: modelIdParams,
        response: { 200: modelStatus, 404: errorResponse },
      },
    },
    async (request) => {
      await engine.models.headersRead;
      return mustGet(request.params.id);
    },
  );

  app.post(
    '/models/import',
    {
      validatorCompiler: uploadRouteValidator(importModelBody),
      schema: {
        summary: 'Import a model file: upload it, or name one on this machine',
        description:
          'JSON `{ "path": "/absolute/path", "id"?: "my-model" }` copies a ggml file that is on the ' +
          'machine running the engine into the models folder; multipart/form-data with a part ' +
          '`file` (and optionally `id`) uploads one. A file matching a catalog entry’s checksum ' +
          'becomes that model; any other whisper file must start with the ggml magic.',
        consumes: ['application/json', 'multipart/form-data'],
        body: importModelRequest,
        response: {
          201: modelStatus,
          400: errorResponse,
          404: errorResponse,
          409: errorResponse,
          413: errorResponse,
        },
      },
    },
    async (request, reply) => {
      if (request.isMultipart()) return reply.status(201).send(await importUpload(request));
      // uploadRouteValidator checked a present body against importModelBody; null means none.
      const body = request.body as ImportModelBody | null;
      if (!body) {
        throw new EngineError(
          'INVALID_ARGUMENT',
          'Send JSON {"path": "/absolute/path/to/model.bin"} or a multipart/form-data upload with a "file" part.',
        );
      }
      const { id } = body;
      // The engine's own platform rules, before the file system is touched (see local-path.ts).
      const path = checkLocalPath(body.path);
      const model = await engine.tasks.run('importing a model', () =>
        engine.models.importFile(path, { id }),
      );
      return reply.status(201).send(model);
    },
  );

  // Starts (or resumes) a download in the background; progress shows in the model's status.
  app.post(
    '/models/:id/download',
    {
      schema: {
        summary: 'Start or resume downloading a catalog model',
        params: modelIdParams,
        response: { 202: modelStatus, 404: errorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (mustGet(id).status !== 'downloading') {
        const download = engine.tasks.run(`the download of ${id}`, (signal) =>
          engine.models.download(id, { signal }),
        );
        // The outcome is recorded in the model's status; the request does not wait for it.
        download.catch((error: unknown) =>
          request.log.warn({ err: error, id }, 'model download ended'),
        );
      }
      return reply.status(202).send(mustGet(id));
    },
  );

  app.delete(
    '/models/:id/download',
    {
      schema: {
        summary: 'Cancel a download (its partial file is kept for resuming)',
        params: modelIdParams,
        response: { 200: modelStatus, 404: errorResponse },
      },
    },
    (request) => {
      mustGet(request.params.id);
      engine.models.cancel(request.params.id);
      return mustGet(request.params.id);
    },
  );

  app.delete(
    '/models/:id',
    {
      schema: {
        summary: 'Delete a model file (downloaded or imported)',
        params: modelIdParams,
        response: { 204: z.null(), 404: errorResponse },
      },
    },
    async (request, reply) => {
      await engine.models.delete(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
