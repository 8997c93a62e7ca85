import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The port `app.inject()` puts in its default `Host: localhost:80`, used while not listening. */
const injectPort = 80;

/**
 * The browser-session cookie's name, which carries the port: cookies are shared by every port of
 * a host, and two studios on one machine (two data folders) must not overwrite each other's.
 */
export function sessionCookieName(app: FastifyInstance): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : injectPort;
  return `studio_session_${port}`;
}

/** The value of the cookie `name` in the request's Cookie header, if any. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Sets (or with `maxAgeSec` 0, clears) the session cookie: HttpOnly (page scripts never see
 * it), SameSite=Strict (no other site's page sends it), the whole site (Path=/), Secure when the
 * engine is reached over https.
 */
export function setSessionCookie(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  value: string,
  maxAgeSec: number,
): void {
  const attributes = [
    `${sessionCookieName(app)}=${value}`,
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSec))}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(request.protocol === 'https' ? ['Secure'] : []),
  ];
  void reply.header('set-cookie', attributes.join('; '));
}
