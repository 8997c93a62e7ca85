import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponse } from '../../../contract/errors';
import { modelIdParams, modelList, modelStatus } from '../../../contract/models';
import { EngineError } from '../../../engine/errors';

export const modelRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;
  const mustGet = (id: string) => {
    const model = engine.models.get(id);
    if (!model) {
      throw new EngineError(
        'MODEL_UNKNOWN',
        `There is no model "${id}". GET /v1/models lists them.`,
      );
    }
    return model;
  };

  app.get('/models', { schema: { response: { 200: modelList } } }, () => ({
    models: engine.models.list(),
  }));

  app.get(
    '/models/:id',
    { schema: { params: modelIdParams, response: { 200: modelStatus, 404: errorResponse } } },
    (request) => mustGet(request.params.id),
  );

  // Starts (or resumes) a download in the background; progress shows in the model's status.
  app.post(
    '/models/:id/download',
    { schema: { params: modelIdParams, response: { 202: modelStatus, 404: errorResponse } } },
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
    { schema: { params: modelIdParams, response: { 200: modelStatus, 404: errorResponse } } },
    (request) => {
      mustGet(request.params.id);
      engine.models.cancel(request.params.id);
      return mustGet(request.params.id);
    },
  );

  app.delete(
    '/models/:id',
    { schema: { params: modelIdParams, response: { 204: z.null(), 404: errorResponse } } },
    async (request, reply) => {
      await engine.models.delete(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
