import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../../../contract/errors';
import { addMediaBody, idParams, mediaItem, mediaList } from '../../../contract/media';

export const mediaRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;

  app.post(
    '/media',
    {
      config: { scope: 'transcribe' },
      schema: {
        body: addMediaBody,
        response: { 201: mediaItem, 404: errorResponse, 413: errorResponse, 422: errorResponse },
      },
    },
    async (request, reply) => {
      // Probes first: a missing, empty, unreadable or silent file is refused before it is added.
      const item = await engine.tasks.run('adding media', (signal) =>
        engine.media.add(request.body.path, { signal }),
      );
      return reply.status(201).send(item);
    },
  );

  app.get(
    '/media',
    {
      schema: {
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
    { schema: { params: idParams, response: { 200: mediaItem, 404: errorResponse } } },
    (request) => engine.media.get(request.params.id),
  );

  app.delete(
    '/media/:id',
    { schema: { params: idParams, response: { 204: z.null(), 404: errorResponse } } },
    async (request, reply) => {
      await engine.media.remove(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
