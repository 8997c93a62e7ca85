import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { networkInterfaces } from 'node:os';
import { remedyFor } from '../common/remedies';
import {
  hasScope,
  type TokenScope,
  type TokenService,
  type VerifiedToken,
} from '../engine/auth/tokens';
import type { BrowserSession, BrowserSessions } from '../engine/auth/browser-sessions';
import type { ErrorCode } from '../engine/errors';
import { errorBody, httpStatusByCode } from './error-status';
import { readCookie, sessionCookieName, setSessionCookie } from './session-cookie';
import type { UrlSigner } from './signed-urls';
import type { TicketStore } from './ws-tickets';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The token scope a route needs. Default: `read` for GET and HEAD, `admin` for anything
     * else, so a route that changes state must opt down explicitly (e.g. `transcribe`). `any`:
     * every valid token, whatever its scopes (e.g. trading it for a WebSocket ticket that is
     * worth exactly what the token is).
     */
    scope?: RouteScope;
    /**
     * A GET of this route may authenticate with a signed URL (`?exp=&sig=`, see signed-urls.ts)
     * instead of a bearer token, with the `read` scope. @default false
     */
    signedUrl?: boolean;
  }
  interface FastifyRequest {
    /** The verified API token of a `/v1` request; null elsewhere. */
    auth: VerifiedToken | null;
    /** The browser session (cookie) a `/v1` request authenticated with; null otherwise. */
    browserSession: BrowserSession | null;
  }
}

/** What a route may require of a token: one scope, or only that the token is valid. */
export type RouteScope = TokenScope | 'any';

export interface SecurityOptions {
  /** `isActive` is asked for the token behind a signed URL or a ticket each time one is used. */
  tokens: Pick<TokenService, 'verify' | 'isActive'>;
  /**
   * Browser origins, besides the engine's own, that may call the API, e.g. the Vite dev server
   * (`http://localhost:5173`) in development.
   */
  allowedOrigins?: readonly string[];
  /**
   * Extra host names (without port) the engine answers to, e.g. `studio.local` when bound with
   * `--host`. Loopback names and the bound address are always accepted.
   */
  allowedHosts?: readonly string[];
  /** One-use tickets a WebSocket upgrade may present as `?ticket=` instead of a bearer header. */
  tickets?: Pick<TicketStore, 'redeem'>;
  /** Checks `?exp=&sig=` on GETs of routes with `config.signedUrl` (media elements). */
  signedUrls?: Pick<UrlSigner, 'verify'>;
  /**
   * Browser sessions: a request with no other credentials may carry the session cookie
   * (`POST /v1/session` sets it). A cookie-authenticated request that changes state must come
   * from the engine's own origin (or an allowed one) with an `Origin` header.
   */
  sessions?: Pick<BrowserSessions, 'verify'>;
}

/** The port `app.inject()` puts in its default `Host: localhost:80`, used while not listening. */
const injectPort = 80;

const isSafeMethod = (method: string) => method === 'GET' || method === 'HEAD';

const isWildcard = (address: string) => address === '0.0.0.0' || address === '::';
const hostWithPort = (name: string, port: number) =>
  `${name.includes(':') && !name.startsWith('[') ? `[${name}]` : name}:${port}`.toLowerCase();

/**
 * Refuses the request with the standard error body; `remedy` (in HTTP words) defaults to the
 * one the code asks for (src-main/common/remedies.ts).
 */
function deny(
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  challenge?: string,
  remedy: string | undefined = remedyFor({ code }, 'api'),
) {
  if (challenge) void reply.header('WWW-Authenticate', challenge);
  return reply.status(httpStatusByCode[code]).send(errorBody({ code, message }, remedy));
}

/** A signed URL or ticket whose token was revoked after it was issued. */
const denyRevoked = (reply: FastifyReply, what: string) =>
  deny(
    reply,
    'UNAUTHORIZED',
    `The API token this ${what} was issued to was revoked, so the ${what} no longer works. Use an active token.`,
  );

/** The route pattern, or for unmatched URLs the path itself (so unknown /v1 paths need a token too). */
const isApiRequest = (request: FastifyRequest): boolean => {
  const path = request.url.split('?', 1)[0] ?? '';
  const pattern = request.routeOptions.url ?? '';
  const underV1 = (p: string) => p === '/v1' || p.startsWith('/v1/');
  return underV1(pattern) || underV1(path) || request.routeOptions.config.scope !== undefined;
};

/** `scheme://host[:port]` with the default port dropped, or undefined for `null` and junk. */
const normalizeOrigin = (origin: string): string | undefined => {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
};

const bearerToken = (request: FastifyRequest): string | undefined => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
};

/** A `?ticket=` on a WebSocket upgrade (browsers cannot send headers there); else undefined. */
const wsTicket = (request: FastifyRequest): string | undefined => {
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') return undefined;
  const ticket = new URL(request.url, 'http://x').searchParams.get('ticket');
  return ticket ?? undefined;
};

/**
 * The signed-URL query of a GET (or HEAD) of a route that accepts one, or undefined. Only the
 * route's own path is signed, so the signature cannot be reused on another path.
 */
const signedQuery = (request: FastifyRequest) => {
  const method = request.method;
  if ((method !== 'GET' && method !== 'HEAD') || !request.routeOptions.config.signedUrl) return;
  const url = new URL(request.url, 'http://x');
  const sig = url.searchParams.get('sig');
  if (sig === null) return undefined;
  const path = request.url.split('?', 1)[0] ?? '';
  const param = (name: string) => url.searchParams.get(name) ?? undefined;
  return { path, query: { exp: param('exp'), tid: param('tid'), sig } };
};

/**
 * Makes the local API secure by default. Adds one `onRequest` hook to `app` that every route
 * (registered before or after, `/health` and the static UI included) passes through:
 *
 * 1. Host check (DNS rebinding): the `Host` header must name a loopback host (`127.0.0.1`,
 *    `localhost`, `[::1]`) or the bound address, at the bound port; else 403 FORBIDDEN_HOST.
 * 2. Origin check (CSRF from other sites): a request with an `Origin` header must come from the
 *    engine's own origin or an allowed one; else 403 FORBIDDEN_ORIGIN. No Origin (curl) passes.
 * 3. Bearer auth on `/v1/*`: 401 UNAUTHORIZED without a valid token, 403 FORBIDDEN_SCOPE when
 *    the token lacks the route's `config.scope`. A WebSocket upgrade may instead carry a one-use
 *    `?ticket=` (see ws-tickets.ts), and a GET of a route with `config.signedUrl` a signed
 *    `?exp=&tid=&sig=` for its exact path (see signed-urls.ts), which grants `read` and nothing
 *    else. Both are bound to the token that asked for them and refused once it is revoked.
 *    With none of these, the browser-session cookie (see browser-sessions.ts) authenticates with
 *    the scopes of the token it was exchanged for; when it does, a request other than GET/HEAD
 *    must carry the engine's own (or an allowed) `Origin`, else 403 FORBIDDEN_ORIGIN: with
 *    SameSite=Strict this keeps other pages, other local ports included, from using it.
 *
 * Call it on the root instance before registering routes (hooks are inherited at registration).
 */
export function installSecurity(app: FastifyInstance, options: SecurityOptions): void {
  const allowedOrigins = new Set(
    (options.allowedOrigins ?? []).map((origin) => {
      const normalized = normalizeOrigin(origin);
      if (!normalized) throw new Error(`Not an http(s) origin: ${origin}`);
      return normalized;
    }),
  );
  let cached: { port: number; hosts: Set<string> } | undefined;

  const allowedHosts = (): Set<string> => {
    const address = app.server.address();
    const bound = typeof address === 'object' && address ? address : undefined;
    const port = bound?.port ?? injectPort;
    if (cached?.port === port) return cached.hosts;
    const names = ['127.0.0.1', 'localhost', '::1', ...(options.allowedHosts ?? [])];
    if (bound && isWildcard(bound.address)) {
      // Bound to every interface: each of this machine's addresses is a legitimate Host.
      for (const list of Object.values(networkInterfaces())) {
        for (const net of list ?? []) names.push(net.address);
      }
    } else if (bound) {
      names.push(bound.address);
    }
    const hosts = new Set(names.map((name) => hostWithPort(name, port)));
    // Browsers leave out the default port.
    if (port === 80)
      for (const name of names) hosts.add(hostWithPort(name, port).replace(/:80$/, ''));
    cached = { port, hosts };
    return hosts;
  };

  app.decorateRequest('auth', null);
  app.decorateRequest('browserSession', null);

  // A WebSocket upgrade refused here (or by a route's validation) is answered over the raw socket,
  // which nothing else closes: @fastify/websocket's clean-up never ran. Hang up once the answer is
  // written, so a client keeping its end open cannot hold server sockets. Accepted upgrades are
  // hijacked and never reach onResponse.
  app.addHook('onResponse', async (request) => {
    if (request.headers.upgrade?.toLowerCase() === 'websocket') request.raw.socket.destroySoon();
  });

  app.addHook('onRequest', async (request, reply) => {
    const host = (request.headers.host ?? '').toLowerCase();
    if (!allowedHosts().has(host)) {
      return deny(
        reply,
        'FORBIDDEN_HOST',
        `This engine does not answer to the host "${host || '(none)'}". Use the address it printed, ` +
          'e.g. http://127.0.0.1:<port>.',
      );
    }

    const origin = request.headers.origin;
    if (origin !== undefined) {
      const normalized = normalizeOrigin(origin);
      const own = normalizeOrigin(`http://${host}`);
      if (normalized === undefined || (normalized !== own && !allowedOrigins.has(normalized))) {
        return deny(
          reply,
          'FORBIDDEN_ORIGIN',
          `Requests from web pages at ${origin} are not allowed; only the studio's own UI may call this engine.`,
        );
      }
    }

    if (!isApiRequest(request)) return;
    const token = bearerToken(request);
    const signed = token === undefined ? signedQuery(request) : undefined;
    const ticket = token === undefined && !signed ? wsTicket(request) : undefined;
    const cookie =
      token === undefined && !signed && ticket === undefined && options.sessions
        ? readCookie(request, sessionCookieName(app))
        : undefined;
    let verified: VerifiedToken | null = null;
    if (token !== undefined) {
      verified = options.tokens.verify(token);
    } else if (signed !== undefined) {
      const tokenId = options.signedUrls?.verify(signed.path, signed.query) ?? null;
      if (tokenId === null) {
        return deny(
          reply,
          'UNAUTHORIZED',
          'The signed URL is not valid for this path or has expired. Ask for a fresh one (e.g. POST /v1/media/:id/stream-url).',
        );
      }
      if (!options.tokens.isActive(tokenId)) return denyRevoked(reply, 'signed URL');
      // A signed URL grants reading the one path it was signed for, on behalf of its token.
      verified = { id: tokenId, scopes: ['read'] };
    } else if (ticket !== undefined) {
      verified = options.tickets?.redeem(ticket) ?? null;
      if (!verified) {
        return deny(
          reply,
          'UNAUTHORIZED',
          'The WebSocket ticket is unknown, used or expired. Get a fresh one from POST /v1/ws-tickets just before connecting.',
        );
      }
      if (!options.tokens.isActive(verified.id)) return denyRevoked(reply, 'WebSocket ticket');
    } else if (cookie !== undefined && options.sessions) {
      const session = options.sessions.verify(cookie);
      if (!session) {
        // Told to forget it, so the next page load starts at the sign-in screen cleanly.
        setSessionCookie(app, request, reply, '', 0);
        return deny(
          reply,
          'UNAUTHORIZED',
          "This browser's session has ended: it was signed out, it expired, the token it was " +
            'opened with was revoked, or the data folder changed.',
          'Bearer realm="studio", error="invalid_token"',
          'Sign in again: open the link `serve` printed when it started ("Open the studio: …").',
        );
      }
      if (!isSafeMethod(request.method) && origin === undefined) {
        return deny(
          reply,
          'FORBIDDEN_ORIGIN',
          'A request signed in by the browser-session cookie that changes something must come ' +
            "from the studio's own page (it sends an Origin header). Scripts: send " +
            '"Authorization: Bearer <token>" instead.',
        );
      }
      request.browserSession = session;
      verified = { id: session.id, scopes: session.scopes };
    }
    if (!verified) {
      return deny(
        reply,
        'UNAUTHORIZED',
        token === undefined
          ? 'This request carries no API token.'
          : 'The API token is not valid or was revoked.',
        token === undefined
          ? 'Bearer realm="studio"'
          : 'Bearer realm="studio", error="invalid_token"',
      );
    }
    const needed =
      request.routeOptions.config.scope ?? (isSafeMethod(request.method) ? 'read' : 'admin');
    if (needed !== 'any' && !hasScope(verified.scopes, needed)) {
      return deny(
        reply,
        'FORBIDDEN_SCOPE',
        `This request needs the "${needed}" scope; the token has ${verified.scopes.join(', ') || 'none'}.`,
        `Bearer realm="studio", error="insufficient_scope", scope="${needed}"`,
      );
    }
    request.auth = verified;
  });
}
