import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponse } from '../../../contract/errors';
import { wsTicket } from '../../../contract/ws-tickets';
import type { TicketStore } from '../../ws-tickets';

/** Trades the caller's bearer token for a one-use WebSocket ticket with the same scopes. */
export const ticketRoutes: FastifyPluginAsyncZod<{ tickets: TicketStore }> = async (
  app,
  { tickets },
) => {
  app.post(
    '/ws-tickets',
    {
      // Any valid token may ask (a live-only one too); the ticket is worth exactly what the token
      // is, and the WebSocket route checks its own scope when the ticket is redeemed.
      config: { scope: 'any' },
      schema: {
        summary: 'Get a one-use WebSocket ticket (any valid token; same scopes as the token)',
        description:
          'For `new WebSocket(url + "?ticket=…")` in a browser, which cannot send `Authorization`. ' +
          'The ticket works once, within 30 seconds, with exactly the scopes of the token that ' +
          'asked for it, and not after that token is revoked.',
        response: { 201: wsTicket, 401: errorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(tickets.issue(request.auth!)),
  );
};
