import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponse } from '../../../contract/errors';
import { settings, settingsPatch } from '../../../contract/settings';
import { EngineError } from '../../../engine/errors';

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;

  app.get('/settings', { schema: { response: { 200: settings } } }, () => engine.settings.get());

  // Also how the default model is chosen: `{ "defaultModel": "whisper-base.en" }`.
  app.patch(
    '/settings',
    {
      schema: {
        body: settingsPatch,
        response: { 200: settings, 400: errorResponse, 404: errorResponse },
      },
    },
    (request) => {
      const { defaultModel } = request.body;
      if (defaultModel && engine.models.get(defaultModel)?.kind !== 'whisper') {
        throw new EngineError(
          'MODEL_UNKNOWN',
          `"${defaultModel}" is not a Whisper model in the catalog or the library.`,
        );
      }
      return engine.settings.update(request.body);
    },
  );
};
