import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { systemInfo } from '../../../contract/system';

export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/system', { schema: { response: { 200: systemInfo } } }, () => app.engine.system());
};
