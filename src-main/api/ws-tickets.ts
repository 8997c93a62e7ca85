import { randomBytes } from 'node:crypto';
import type { VerifiedToken } from '../engine/auth/tokens';

/**
 * One-use tickets for WebSocket connections. A browser's `new WebSocket()` cannot send an
 * `Authorization` header, and a long-lived token in a URL ends up in logs and history, so a
 * client trades its bearer token for a ticket (`POST /v1/ws-tickets`) and opens
 * `/v1/events?ticket=…` within a few seconds. The ticket carries the token's scopes.
 */
export interface TicketStore {
  issue(token: VerifiedToken): { ticket: string; expiresAt: string };
  /** The ticket's token, once; null when unknown, used or expired. */
  redeem(ticket: string): VerifiedToken | null;
}

export function createTicketStore({
  ttlMs = 30_000,
  now = Date.now,
}: { ttlMs?: number; now?: () => number } = {}): TicketStore {
  const tickets = new Map<string, { token: VerifiedToken; expires: number }>();
  const sweep = () => {
    const at = now();
    for (const [key, entry] of tickets) if (entry.expires <= at) tickets.delete(key);
  };
  return {
    issue(token) {
      sweep();
      const ticket = `wst_${randomBytes(24).toString('base64url')}`;
      const expires = now() + ttlMs;
      tickets.set(ticket, { token, expires });
      return { ticket, expiresAt: new Date(expires).toISOString() };
    },
    redeem(ticket) {
      const entry = tickets.get(ticket);
      tickets.delete(ticket);
      return entry && entry.expires > now() ? entry.token : null;
    },
  };
}
