import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponse } from '../../../contract/errors';
import { idParams } from '../../../contract/media';
import { createdToken, createTokenBody, tokenInfo, tokenList } from '../../../contract/tokens';

/** API token management; every route needs `admin` (the default for non-GET, explicit for GET). */
export const tokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;

  app.get(
    '/tokens',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'List the API tokens, revoked ones included (never their secrets)',
        response: { 200: tokenList },
      },
    },
    () => ({ tokens: engine.tokens.list() }),
  );

  app.post(
    '/tokens',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Create an API token (its secret is shown only in this answer)',
        body: createTokenBody,
        response: { 201: createdToken, 400: errorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(engine.tokens.createToken(request.body)),
  );

  app.delete(
    '/tokens/:id',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Revoke an API token (it is refused from now on)',
        params: idParams,
        response: { 200: tokenInfo, 404: errorResponse },
      },
    },
    (request) => engine.tokens.revoke(request.params.id),
  );
};
