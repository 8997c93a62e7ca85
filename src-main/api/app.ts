import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type onRouteHookHandler,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ErrorResponse } from '../contract/errors';
import { createBrowserSessions, withBrowserSessions } from '../engine/auth/browser-sessions';
import type { Engine } from '../engine/create-engine';
import { isEngineError } from '../engine/errors';
import { createErrorLog } from './error-log';
import { errorBody, httpStatusByCode } from './error-status';
import { cliCommand } from '../common/remedies';
import { requestLoggerOptions, type LogDestination } from './request-log';
import { installSecurity } from './security';
import { createUrlSigner } from './signed-urls';
import { closeSocketsOnRevoke } from './token-sockets';
import { captionRoutes } from './routes/captions';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { jobRoutes } from './routes/jobs';
import { liveRoutes } from './routes/live';
import { mediaRoutes } from './routes/media';
import { modelRoutes } from './routes/models';
import { openaiRoutes } from './routes/openai';
import { searchRoutes } from './routes/search';
import { sessionRoutes } from './routes/session';
import { speakerRoutes } from './routes/speakers';
import { settingsRoutes } from './routes/settings';
import { systemRoutes } from './routes/system';
import { ticketRoutes } from './routes/tickets';
import { tokenRoutes } from './routes/tokens';
import { transcriptRoutes } from './routes/transcripts';
import { createTicketStore } from './ws-tickets';

export interface AppOptions {
  engine: Engine;
  /** Built renderer to serve at `/` (out/renderer). Omitted or missing: API only. */
  uiDir?: string;
  /**
   * Log every request (one JSON line each, secrets in URLs redacted, see request-log.ts): `true`
   * writes to stderr, or give a destination. @default false
   */
  logger?: boolean | LogDestination;
  /** Browser origins besides the engine's own allowed to call the API (the Vite dev server). */
  allowedOrigins?: string[];
  /**
   * Told of every route as it is registered, before any plugin adds one (the hostile-input tests
   * read the route table and each route's `config.scope` from it).
   */
  onRoute?: onRouteHookHandler;
  /** Browser sessions' lifetime and clock (tests). @default 30 days, Date.now */
  session?: { maxAgeMs?: number; now?: () => number };
}

/** The UI loads nothing but its own files and talks only to its own origin. */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** The <style> inside swagger-ui's top-bar logo (an inline SVG) in @fastify/swagger-ui 6. */
const swaggerLogoStyleHash = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

/**
 * `/docs` (swagger-ui) and `/openapi.json`: swagger-ui's page loads only its own script and
 * style files (no inline script; its inline SVG icons are `data:` images) and calls only this
 * engine ("Try it out"), and no other site may frame it (clickjacking a page that holds a token).
 */
export const docsSecurityHeaders = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' ${swaggerLogoStyleHash}`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

declare module 'fastify' {
  interface FastifyInstance {
    engine: Engine;
  }
}

/** Builds the HTTP API (and the UI's static files) around an engine. Does not listen. */
export async function buildApp({
  engine,
  uiDir,
  logger = false,
  allowedOrigins,
  onRoute,
  session,
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger && requestLoggerOptions(logger === true ? process.stderr : logger),
    // Request ids that stay unique across restarts, since the engine log outlives a run: a 500
    // answer names its request's id, and the log's "request failed" line carries it as `reqId`.
    genReqId: () => randomBytes(4).toString('hex'),
    // What Fastify refuses before routing (a URL that does not decode) gets the standard shape too.
    frameworkErrors: (error, _request, reply: FastifyReply) =>
      reply.status(400).send({
        error: {
          code: 'INVALID_ARGUMENT',
          message: `${error.message}; percent-encode the URL as UTF-8.`,
        },
      } satisfies ErrorResponse),
  }).withTypeProvider<ZodTypeProvider>();
  if (onRoute) app.addHook('onRoute', onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('engine', engine);
  const tickets = createTicketStore();
  // Signs media-file URLs for <audio>/<video>; its random key lives as long as this app.
  const signedUrls = createUrlSigner();
  // Answers of 500 or more are recorded in the engine log and summarised on stderr (unless the
  // request log goes there already): their request id leads to the details.
  const errorLog = createErrorLog({
    log: engine.log,
    file: engine.logFile,
    ...(logger && { echo: null }),
  });
  const logWhere = engine.logFile
    ? `${relative(engine.dataDir, engine.logFile).replaceAll('\\', '/')} in the data folder`
    : 'the engine log';
  // Browser sessions (the UI's cookie), signed with a key kept in the data folder.
  const sessions = createBrowserSessions({
    dataDir: engine.dataDir,
    tokens: engine.tokens,
    ...session,
  });
  // Grants derived from a token (tickets, signed URLs, sockets) honour browser sessions too.
  const grants = withBrowserSessions(engine.tokens, sessions);
  // Before any route: Fastify copies hooks into routes when they are registered.
  installSecurity(app, { tokens: grants, tickets, signedUrls, allowedOrigins, sessions });
  // Uploads are streamed to disk by the routes that take them; these are only outer bounds.
  await app.register(fastifyMultipart, { limits: { fields: 20, files: 1, fieldSize: 64 * 1024 } });
  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } });
  // A revoked token's open sockets (every WebSocket route) are closed with 4401.
  closeSocketsOnRevoke(app, { tokens: grants });
  // The OpenAPI document is generated from the same zod schemas that validate requests.
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Transcription Studio API',
        version: engine.version,
        description:
          'The local API of the transcription studio. Every /v1 route needs `Authorization: Bearer <token>` ' +
          `(create one with \`${cliCommand('token create --scopes read,transcribe')}\`). ` +
          'An error answers `{ error: { code, message, remedy?, details? } }`: `message` says what happened ' +
          'and what to do (in HTTP terms), `remedy` is that last part alone, `details` the facts (e.g. `modelId`).',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // The API reference (swagger-ui) and its document, under their own policy: never in a frame.
  await app.register(async (docs) => {
    docs.addHook('onSend', async (_request, reply) => {
      void reply.headers(docsSecurityHeaders);
    });
    await docs.register(fastifySwaggerUi, { routePrefix: '/docs' });
    docs.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const send = (status: number, body: ErrorResponse) => reply.status(status).send(body);
    const record = (status: number) =>
      errorLog.record(error, {
        requestId: request.id,
        method: request.method,
        route: request.routeOptions.url ?? request.url.replace(/\?.*$/s, ''),
        status,
      });
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const where = first?.instancePath ? ` at ${first.instancePath}` : '';
      return send(400, {
        error: {
          code: 'INVALID_ARGUMENT',
          message: `Invalid request${where}: ${first?.message ?? error.message}`,
        },
      });
    }
    if (isEngineError(error)) {
      const status = httpStatusByCode[error.code];
      const retryAfter = error.details?.retryAfterSec;
      if (typeof retryAfter === 'number') void reply.header('Retry-After', String(retryAfter));
      if (status >= 500 && status !== 503 && status !== 502 && status !== 507) {
        request.log.error({ err: error }, 'engine error');
      }
      // Every server error carries its request id, found in the engine log.
      const requestId = status >= 500 ? { requestId: request.id } : undefined;
      if (status >= 500) record(status);
      const details = error.details || requestId ? { ...error.details, ...requestId } : undefined;
      // What to do, in HTTP words; the app and the CLI word it their own way from code + details.
      return send(status, errorBody({ code: error.code, message: error.message, details }));
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return send(error.statusCode, {
        error: { code: 'INVALID_ARGUMENT', message: error.message },
      });
    }
    // Unknown failures: log the detail, show the client nothing internal.
    request.log.error({ err: error }, 'unhandled error');
    record(500);
    return send(500, {
      error: {
        code: 'INTERNAL',
        message: `Internal error (request id ${request.id}). The details are in the engine log (${logWhere}) under that id.`,
        details: { requestId: request.id },
      },
    });
  });

  await app.register(healthRoutes);
  await app.register(systemRoutes, { prefix: '/v1' });
  await app.register(modelRoutes, { prefix: '/v1' });
  await app.register(mediaRoutes, { prefix: '/v1', signedUrls });
  await app.register(openaiRoutes, { prefix: '/v1' });
  await app.register(jobRoutes, { prefix: '/v1' });
  await app.register(transcriptRoutes, { prefix: '/v1' });
  await app.register(captionRoutes, { prefix: '/v1' });
  await app.register(tokenRoutes, { prefix: '/v1' });
  await app.register(searchRoutes, { prefix: '/v1' });
  await app.register(speakerRoutes, { prefix: '/v1' });
  await app.register(settingsRoutes, { prefix: '/v1' });
  await app.register(ticketRoutes, { prefix: '/v1', tickets });
  await app.register(sessionRoutes, { prefix: '/v1', sessions });
  await app.register(eventRoutes, { prefix: '/v1' });
  await app.register(liveRoutes, { prefix: '/v1' });

  if (uiDir && existsSync(join(uiDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: uiDir,
      wildcard: false,
      setHeaders: (reply) => void reply.header('Content-Security-Policy', contentSecurityPolicy),
    });
    // Client-side routes fall back to the app shell; unknown API paths stay 404 JSON.
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/v1/')) {
        return reply.sendFile('index.html');
      }
      return reply.status(404).send({
        error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url}.` },
      } satisfies ErrorResponse);
    });
  } else {
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({
        error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url}.` },
      } satisfies ErrorResponse),
    );
  }
  return app;
}
