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
      // Any valid token may ask; the ticket is worth exactly what the token is.
      config: { scope: 'read' },
      schema: {
        summary: 'Get a one-use WebSocket ticket',
        response: { 201: wsTicket, 401: errorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(tickets.issue(request.auth!)),
  );
};
