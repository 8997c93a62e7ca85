/**
 * The real app the hostile-input suite attacks: a test engine (real SQLite, ffmpeg, the synthetic
 * Whisper model) in a fresh temp folder, the API built around it with `buildApp` (optionally
 * listening on 127.0.0.1, port 0), a token of each scope, and the route table as Fastify
 * registered it, each route with the scope it needs.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, HTTPMethods, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { TokenScope } from '../../engine/auth/tokens';
import type { Engine } from '../../engine/create-engine';
import { createTestEngine } from '../../engine/test-support/test-engine';
import { buildApp } from '../app';

/**
 * What a route may require of a token: one scope, or (security.ts's `any`) only that it is valid.
 * Declared here as a superset so the suite compiles whether or not a route uses `any`.
 */
export type NeededScope = TokenScope | 'any';

/** One method of one route, as registered with Fastify. */
export interface RouteEntry {
  method: HTTPMethods;
  /** Fastify's pattern, e.g. `/v1/media/:id`. */
  url: string;
  /** What the route declares in `config.scope`, if anything. */
  declaredScope: NeededScope | undefined;
  /** The scope security.ts enforces: the declared one, else read for GET/HEAD and admin otherwise. */
  neededScope: NeededScope;
  /** A `@fastify/websocket` route (`wsHandler`). */
  webSocket: boolean;
  /** `schema.hide`: left out of the OpenAPI document on purpose. */
  hidden: boolean;
}

export interface HostileApp {
  app: FastifyInstance;
  engine: Engine;
  /** The test's own folder: `data/` (the engine's), and whatever fixtures the test adds. */
  work: string;
  dataDir: string;
  routes: RouteEntry[];
  /** Bearer secrets: one token per single scope, plus a revoked admin token. */
  tokens: Record<TokenScope, string> & { revoked: string };
  /**
   * `app.inject` with the Host a real client would send (once listening, inject's default
   * `localhost:80` is a foreign host and refused).
   */
  inject(request: InjectOptions | string): Promise<LightMyRequestResponse>;
  /** `{ authorization: 'Bearer …' }` for a token. */
  bearer(token: string): { authorization: string };
  /** Set when started with `listen`: the bound port and `http://127.0.0.1:<port>`. */
  port: number | undefined;
  baseUrl: string | undefined;
  close(): Promise<void>;
}

export interface HostileAppOptions {
  /** Listen on 127.0.0.1 port 0 (for real HTTP and WebSockets). @default false */
  listen?: boolean;
  allowedOrigins?: string[];
}

/** The scope security.ts requires when a route declares none. */
export const defaultScope = (method: string): TokenScope =>
  method === 'GET' || method === 'HEAD' ? 'read' : 'admin';

export async function startHostileApp(options: HostileAppOptions = {}): Promise<HostileApp> {
  // realpath: macOS's tmpdir is a symlink, and the suite compares paths the engine reports.
  const work = realpathSync(mkdtempSync(join(tmpdir(), 'studio-hostile-')));
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  const engine = await createTestEngine(dataDir);
  const routes: RouteEntry[] = [];
  const app = await buildApp({
    engine,
    allowedOrigins: options.allowedOrigins,
    onRoute: (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        const declaredScope: NeededScope | undefined = route.config?.scope;
        routes.push({
          method,
          url: route.url,
          declaredScope,
          neededScope: declaredScope ?? defaultScope(method),
          webSocket: route.wsHandler !== undefined || route.websocket === true,
          hidden: route.schema?.hide === true,
        });
      }
    },
  });
  let port: number | undefined;
  if (options.listen) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    port = typeof address === 'object' && address ? address.port : undefined;
  } else {
    await app.ready();
  }
  const make = (scope: TokenScope) =>
    engine.tokens.createToken({ name: `hostile-${scope}`, scopes: [scope] }).token;
  const revoked = engine.tokens.createToken({ name: 'hostile-revoked', scopes: ['admin'] });
  engine.tokens.revoke(revoked.id);
  // Typed as a record of every scope: a scope added to tokenScopes fails to compile here.
  const tokens: Record<TokenScope, string> & { revoked: string } = {
    read: make('read'),
    transcribe: make('transcribe'),
    live: make('live'),
    admin: make('admin'),
    revoked: revoked.token,
  };
  return {
    app,
    engine,
    work,
    dataDir,
    routes,
    tokens,
    inject: (request) => {
      const options = typeof request === 'string' ? { url: request } : request;
      const host = port === undefined ? 'localhost' : `127.0.0.1:${port}`;
      return app.inject({ ...options, headers: { host, ...options.headers } });
    },
    bearer: (token) => ({ authorization: `Bearer ${token}` }),
    port,
    baseUrl: port === undefined ? undefined : `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await engine.shutdown();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** `/v1/media/:id/x` with every `:param` replaced by `id` (URL-encoded). */
export function fillPath(url: string, id: (param: string) => string): string {
  return url.replace(/:(\w+)/g, (_all, name: string) => encodeURIComponent(id(name)));
}

/** The standard error body: `{ error: { code, message } }` with non-empty strings. */
export function isErrorShape(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const { error } = body;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    'message' in error &&
    typeof error.code === 'string' &&
    error.code !== '' &&
    typeof error.message === 'string' &&
    error.message !== ''
  );
}

/** The body as JSON, or the text when it is not JSON. */
export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
