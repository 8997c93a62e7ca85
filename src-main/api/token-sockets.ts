import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { TokenService } from '../engine/auth/tokens';

/**
 * WebSocket close code of a socket whose API token was revoked: in the 4000–4999 range that the
 * protocol leaves to applications, 4401 after HTTP 401. Reconnecting with the same token fails.
 */
export const revokedCloseCode = 4401;
export const revokedCloseReason = 'The API token was revoked.';

export interface TokenSocketOptions {
  tokens: Pick<TokenService, 'isActive' | 'onRevoked'>;
  /**
   * How often the tokens of open sockets are checked again, for revocations this process was
   * not told of (`studio token revoke` run by another process writes the library directly).
   * @default 5000
   */
  recheckMs?: number;
}

/**
 * Closes every WebSocket a token opened when that token is revoked, with `revokedCloseCode`.
 *
 * Works for every WebSocket route without the route's help: a `preHandler` hook notes which token
 * each accepted upgrade authenticated with (security.ts set `request.auth`), and the socket is
 * filed under that token when @fastify/websocket reports the connection. Revocations through the
 * token service close the token's sockets at once; the others are found by a check every
 * `recheckMs` (one primary-key read per token with open sockets) while any socket is open.
 *
 * Call after @fastify/websocket is registered and before the routes are.
 */
export function closeSocketsOnRevoke(
  app: FastifyInstance,
  { tokens, recheckMs = 5000 }: TokenSocketOptions,
): void {
  const tokenOfUpgrade = new WeakMap<IncomingMessage, string>();
  const socketsByToken = new Map<string, Set<WebSocket>>();
  let recheck: NodeJS.Timeout | undefined;

  const closeToken = (id: string) => {
    const sockets = socketsByToken.get(id);
    if (!sockets) return;
    socketsByToken.delete(id);
    for (const socket of sockets) socket.close(revokedCloseCode, revokedCloseReason);
    if (socketsByToken.size === 0) stopRecheck();
  };
  const stopRecheck = () => {
    clearInterval(recheck);
    recheck = undefined;
  };
  const startRecheck = () => {
    recheck ??= setInterval(() => {
      for (const id of [...socketsByToken.keys()]) if (!tokens.isActive(id)) closeToken(id);
    }, recheckMs).unref();
  };

  app.addHook('preHandler', async (request) => {
    if (request.auth && request.headers.upgrade?.toLowerCase() === 'websocket') {
      tokenOfUpgrade.set(request.raw, request.auth.id);
    }
  });

  app.websocketServer.on('connection', (socket: WebSocket, raw: IncomingMessage) => {
    const id = tokenOfUpgrade.get(raw);
    if (id === undefined) return;
    tokenOfUpgrade.delete(raw);
    let sockets = socketsByToken.get(id);
    if (!sockets) socketsByToken.set(id, (sockets = new Set()));
    sockets.add(socket);
    startRecheck();
    socket.once('close', () => {
      const current = socketsByToken.get(id);
      if (!current?.delete(socket) || current.size > 0) return;
      socketsByToken.delete(id);
      if (socketsByToken.size === 0) stopRecheck();
    });
    // Revoked between the upgrade's authentication and now.
    if (!tokens.isActive(id)) closeToken(id);
  });

  const unsubscribe = tokens.onRevoked(closeToken);
  app.addHook('onClose', async () => {
    unsubscribe();
    stopRecheck();
  });
}
