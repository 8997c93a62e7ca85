import type { FastifyInstance } from 'fastify';
import type { Engine } from '../engine/create-engine';
import { buildApp, type AppOptions } from './app';

export interface ServerOptions {
  engine: Engine;
  /** Interface to bind. Anything but loopback exposes the API to the network. @default '127.0.0.1' */
  host?: string;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  uiDir?: string;
  /** Request log: `true` for stderr, or a destination (see AppOptions). @default false */
  logger?: AppOptions['logger'];
  /** Browser origins besides the engine's own allowed to call the API (the Vite dev server). */
  allowedOrigins?: string[];
  /** Told when the server binds beyond loopback. @default console.warn */
  warn?: (message: string) => void;
}

export interface RunningServer {
  app: FastifyInstance;
  /** Base URL, e.g. http://127.0.0.1:8765 */
  url: string;
  port: number;
  close(): Promise<void>;
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return loopbackHosts.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Starts the HTTP API on loopback unless told otherwise. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const {
    engine,
    host = '127.0.0.1',
    port = 0,
    uiDir,
    logger = false,
    allowedOrigins,
    warn = console.warn,
  } = options;
  const app = await buildApp({ engine, uiDir, logger, allowedOrigins });
  await app.listen({ host, port });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  if (!isLoopbackHost(host)) {
    warn(
      `WARNING: the API is listening on ${host}, reachable from other machines. ` +
        'Only do this on a network you trust.',
    );
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { app, url: `http://${urlHost}:${boundPort}`, port: boundPort, close: () => app.close() };
}
