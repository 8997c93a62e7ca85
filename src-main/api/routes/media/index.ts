import { rm } from 'node:fs/promises';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../../../contract/errors';
import {
  addMediaBody,
  addMediaRequest,
  idParams,
  mediaItem,
  mediaList,
  type AddMediaBody,
} from '../../../contract/media';
import { EngineError } from '../../../engine/errors';
import { receiveUpload, uploadRouteValidator } from '../../uploads';

/** Where the upload limit lives, for the 413 message. */
export const raiseUploadLimitHint =
  'raise the limit with PATCH /v1/settings {"mediaLimits": {"maxBytes": <bytes>}} (or in Settings)';

export const mediaRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;

  // Probes first: a missing, empty, unreadable or silent file is refused before it is added.
  const addPath = (path: string) =>
    engine.tasks.run('adding media', (signal) => engine.media.add(path, { signal }));

  /** Streams the upload into the library's uploads folder; anything refused is deleted again. */
  const addUpload = async (request: FastifyRequest) => {
    const upload = await receiveUpload(request, {
      dir: engine.media.uploadsDir,
      maxBytes: engine.settings.get().mediaLimits.maxBytes,
      raiseLimitHint: raiseUploadLimitHint,
    });
    try {
      return await engine.tasks.run('adding an upload', (signal) =>
        engine.media.add(upload.path, { signal, name: upload.filename }),
      );
    } catch (error) {
      await rm(upload.path, { force: true });
      throw error;
    }
  };

  app.post(
    '/media',
    {
      config: { scope: 'transcribe' },
      validatorCompiler: uploadRouteValidator(addMediaBody),
      schema: {
        summary: 'Add media: upload a file, or name one on this machine',
        description:
          'Either `multipart/form-data` with one part `file` (streamed to the uploads folder of the ' +
          'data folder, limited by the `mediaLimits.maxBytes` setting; deleted with the item), or ' +
          'JSON `{ "path": "/absolute/path" }` for a file already on the machine running the engine ' +
          '(never moved or deleted). Either way the file is probed first: it must be readable media ' +
          'with an audio track.',
        consumes: ['application/json', 'multipart/form-data'],
        body: addMediaRequest,
        response: {
          201: mediaItem,
          400: errorResponse,
          404: errorResponse,
          413: errorResponse,
          422: errorResponse,
        },
      },
    },
    async (request, reply) => {
      let item;
      if (request.isMultipart()) {
        item = await addUpload(request);
      } else {
        // uploadRouteValidator checked a present body against addMediaBody; null means none.
        const body = request.body as AddMediaBody | null;
        if (!body) {
          throw new EngineError(
            'INVALID_ARGUMENT',
            'Send JSON {"path": "/absolute/path"} or a multipart/form-data upload with a "file" part.',
          );
        }
        item = await addPath(body.path);
      }
      return reply.status(201).send(item);
    },
  );

  app.get(
    '/media',
    {
      schema: {
        summary: 'List the library, newest first',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: mediaList },
      },
    },
    (request) => ({ media: engine.repos.media.list(request.query) }),
  );

  app.get(
    '/media/:id',
    {
      schema: {
        summary: 'Get one media item',
        params: idParams,
        response: { 200: mediaItem, 404: errorResponse },
      },
    },
    (request) => engine.media.get(request.params.id),
  );

  app.delete(
    '/media/:id',
    {
      schema: {
        summary: 'Remove a media item with its transcripts and cached files',
        description:
          'An uploaded file is deleted with its item; a file added by path stays where it is.',
        params: idParams,
        response: { 204: z.null(), 404: errorResponse },
      },
    },
    async (request, reply) => {
      await engine.media.remove(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
