import { z } from 'zod';

/** A one-use ticket that authenticates a WebSocket upgrade as `?ticket=`. */
export const wsTicket = z.object({
  ticket: z.string(),
  /** ISO time after which the ticket is refused. */
  expiresAt: z.string(),
});
export type WsTicket = z.infer<typeof wsTicket>;
