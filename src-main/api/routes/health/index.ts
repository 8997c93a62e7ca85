import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { healthResponse } from '../../../contract/health';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    { schema: { response: { 200: healthResponse, 503: healthResponse } } },
    async (_request, reply) => {
      const running = app.engine.state === 'running';
      return reply.status(running ? 200 : 503).send({ status: running ? 'ok' : 'shutting-down' });
    },
  );
};
