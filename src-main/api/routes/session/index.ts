import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../../../contract/errors';
import { sessionInfo, type SessionInfo } from '../../../contract/session';
import type { BrowserSession, BrowserSessions } from '../../../engine/auth/browser-sessions';
import type { VerifiedToken } from '../../../engine/auth/tokens';
import { setSessionCookie } from '../../session-cookie';

const infoOf = (auth: VerifiedToken, session: BrowserSession | null): SessionInfo =>
  session
    ? { via: 'cookie', scopes: session.scopes, expiresAt: session.expiresAt.toISOString() }
    : { via: 'bearer', scopes: auth.scopes, expiresAt: null };

/**
 * Browser sessions: a browser trades the link token `serve` printed (or any API token) for an
 * HttpOnly session cookie once, and every tab of that browser is then signed in.
 */
export const sessionRoutes: FastifyPluginAsyncZod<{ sessions: BrowserSessions }> = async (
  app,
  { sessions },
) => {
  app.post(
    '/session',
    {
      // Any valid token may sign a browser in; the session is worth exactly what the token is.
      config: { scope: 'any' },
      schema: {
        summary: 'Sign this browser in: trade the bearer token for a session cookie',
        description:
          'Send the token as `Authorization: Bearer <token>` (the UI sends the one in the link ' +
          '`serve` printed). The answer sets an HttpOnly, SameSite=Strict cookie that ' +
          'authenticates this browser on every tab for 30 days, across restarts of the engine on ' +
          'the same data folder, until it signs out (DELETE /v1/session) or the token is revoked.',
        response: { 201: sessionInfo, 401: errorResponse },
      },
    },
    async (request, reply) => {
      const auth = request.auth!;
      // Already a browser session: nothing to trade.
      if (request.browserSession)
        return reply.status(201).send(infoOf(auth, request.browserSession));
      const { value, session } = sessions.start(auth);
      setSessionCookie(app, request, reply, value, sessions.maxAgeMs / 1000);
      return reply.status(201).send(infoOf(auth, session));
    },
  );

  app.get(
    '/session',
    {
      config: { scope: 'any' },
      schema: {
        summary: 'How this caller is signed in (browser session or bearer token) and its scopes',
        response: { 200: sessionInfo, 401: errorResponse },
      },
    },
    (request) => infoOf(request.auth!, request.browserSession),
  );

  app.delete(
    '/session',
    {
      config: { scope: 'any' },
      schema: {
        summary: 'Sign this browser out (its session cookie stops working, on every tab)',
        response: { 204: z.null(), 401: errorResponse },
      },
    },
    async (request, reply) => {
      if (request.browserSession) await sessions.end(request.browserSession);
      setSessionCookie(app, request, reply, '', 0);
      return reply.status(204).send(null);
    },
  );
};
