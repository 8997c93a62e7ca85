/**
 * Foreign Host and Origin forms against a real server on 127.0.0.1 (port 0), sent over a bare
 * socket so that forms no HTTP client produces (no Host, a wrong port, trailing dots, IPv6
 * spellings, suffix tricks) reach the engine as written. DNS rebinding and cross-site requests
 * must be refused everywhere: plain routes, the API with a valid token, the docs, WebSocket
 * upgrades.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isErrorShape, parseBody, startHostileApp } from './hostile-app';
import { rawHttp, upgradeHeaders, type RawResponse } from './raw-http';

const devOrigin = 'http://localhost:5173';
const h = await startHostileApp({ listen: true, allowedOrigins: [devOrigin] });
afterAll(() => h.close());
const port = h.port!;
const otherPort = port === 65535 ? port - 1 : port + 1;
const admin = h.bearer(h.tokens.admin).authorization;

/** What each case is sent to: an open route, the API with a valid token, the docs, a socket. */
const targets: { name: string; path: string; headers: [string, string][] }[] = [
  { name: 'GET /health', path: '/health', headers: [] },
  { name: 'GET /v1/system (admin token)', path: '/v1/system', headers: [['Authorization', admin]] },
  { name: 'GET /openapi.json', path: '/openapi.json', headers: [] },
  { name: 'GET /docs/', path: '/docs/', headers: [] },
  {
    name: 'WS /v1/events (admin token)',
    path: '/v1/events',
    headers: [['Authorization', admin], ...upgradeHeaders()],
  },
];

const send = (target: (typeof targets)[number], extra: [string, string][], version?: '1.0') =>
  rawHttp(port, {
    path: target.path,
    headers: [...extra, ...target.headers],
    ...(version && { version }),
  });

function expectForbidden(response: RawResponse, code: string, label: string) {
  expect(response.status, `${label}: ${response.body}`).toBe(403);
  const body = parseBody(response.body);
  expect(isErrorShape(body), label).toBe(true);
  expect(body, label).toMatchObject({ error: { code } });
}

describe('Host', () => {
  const foreign: [string, string][] = [
    ['another name', 'evil.com'],
    ['another name at the port', `evil.com:${port}`],
    ['another name in upper case', `EVIL.COM:${port}`],
    ['loopback at another port', `127.0.0.1:${otherPort}`],
    ['localhost at another port', `localhost:${otherPort}`],
    ['[::1] at another port', `[::1]:${otherPort}`],
    ['localhost at the default port', 'localhost:80'],
    ['localhost without a port', 'localhost'],
    ['127.0.0.1 without a port', '127.0.0.1'],
    ['[::1] without a port', '[::1]'],
    ['trailing dot', `localhost.:${port}`],
    ['trailing dot on the address', `127.0.0.1.:${port}`],
    ['two trailing dots', `localhost..:${port}`],
    ['IPv6 loopback spelled out', `[0:0:0:0:0:0:0:1]:${port}`],
    ['IPv4-mapped IPv6 loopback', `[::ffff:127.0.0.1]:${port}`],
    ['IPv6 without brackets', `::1:${port}`],
    ['IPv6 with a zone', `[::1%25lo]:${port}`],
    ['IPv6 any', `[::]:${port}`],
    ['a subdomain of evil.com named localhost', `localhost.evil.com:${port}`],
    ['the address as a subdomain', `127.0.0.1.evil.com:${port}`],
    ['a rebinding service name', `127.0.0.1.nip.io:${port}`],
    ['userinfo before the host', `evil.com@127.0.0.1:${port}`],
    ['the host as userinfo', `127.0.0.1:${port}@evil.com`],
    ['short IPv4', `127.1:${port}`],
    ['decimal IPv4', `2130706433:${port}`],
    ['hex IPv4', `0x7f.0.0.1:${port}`],
    ['another loopback address', `127.0.0.2:${port}`],
    ['the any address', `0.0.0.0:${port}`],
    ['a zero-padded port', `127.0.0.1:0${port}`],
    ['the port twice', `127.0.0.1:${port}:${port}`],
    ['a signed port', `127.0.0.1:+${port}`],
    ['a path after the port', `localhost:${port}/`],
    ['a backslash after the port', `localhost:${port}\\`],
    ['empty', ''],
  ];
  const accepted: [string, string][] = [
    ['127.0.0.1 at the port', `127.0.0.1:${port}`],
    ['localhost at the port', `localhost:${port}`],
    ['[::1] at the port', `[::1]:${port}`],
    // Host names are case-insensitive (RFC 9110 §4.2.3) and browsers send them in lower case,
    // so a capitalised loopback name is the same host, not a rebinding vector.
    ['localhost in upper case', `LOCALHOST:${port}`],
  ];

  it.each(foreign)('refuses %s (%s) with 403 FORBIDDEN_HOST everywhere', async (label, host) => {
    for (const target of targets) {
      const response = await send(target, [['Host', host]]);
      expectForbidden(response, 'FORBIDDEN_HOST', `${label} → ${target.name}`);
    }
  });

  it.each(accepted)('accepts %s (%s)', async (label, host) => {
    for (const target of targets) {
      const response = await send(target, [['Host', host]]);
      const expected = target.name.startsWith('WS') ? 101 : 200;
      expect(response.status, `${label} → ${target.name}: ${response.body}`).toBe(expected);
    }
  });

  it('refuses a request without Host, in HTTP/1.1 (Node may answer 400 itself) and 1.0', async () => {
    for (const target of targets) {
      const v11 = await send(target, []);
      // Node refuses a plain HTTP/1.1 request without Host itself; an upgrade reaches the engine.
      if (v11.status !== 400) expectForbidden(v11, 'FORBIDDEN_HOST', `HTTP/1.1 → ${target.name}`);
      if (target.name.startsWith('WS')) continue;
      const v10 = await send(target, [], '1.0');
      expectForbidden(v10, 'FORBIDDEN_HOST', `HTTP/1.0 → ${target.name}`);
    }
  });

  it('refuses a Host with bytes no header may carry before any route sees it', async () => {
    for (const host of [`localhost\x00:${port}`, `local\rhost:${port}`]) {
      const response = await send(targets[1]!, [['Host', host]]);
      expect([400, 403], JSON.stringify(host)).toContain(response.status);
    }
  });
});

describe('Origin', () => {
  const own = `127.0.0.1:${port}`;
  const foreign: [string, string][] = [
    ['null (sandboxed iframe, file://)', 'null'],
    ['empty', ''],
    ['a file URL', 'file://'],
    ['another site', 'http://evil.com'],
    ['another port', `http://127.0.0.1:${otherPort}`],
    ['https at the same host and port', `https://127.0.0.1:${port}`],
    ['a ws: origin', `ws://127.0.0.1:${port}`],
    ['the same port but the default', 'http://127.0.0.1'],
    ['another loopback name than the Host', `http://localhost:${port}`],
    ['[::1] while the Host is 127.0.0.1', `http://[::1]:${port}`],
    ['a suffix on the port', `http://127.0.0.1:${port}.evil.com`],
    ['a subdomain named like the host', `http://127.0.0.1.evil.com:${port}`],
    ['the origin as userinfo', `http://127.0.0.1:${port}@evil.com`],
    ['the origin as a path', `http://evil.com/http://127.0.0.1:${port}`],
    ['two origins', `http://127.0.0.1:${port} http://evil.com`],
    ['a browser extension', 'chrome-extension://abcdefghijklmnop'],
    ['the dev origin with a suffix', `${devOrigin}.evil.com`],
    ['the dev origin at a longer port', `${devOrigin}0`],
    ['the dev origin over https', devOrigin.replace('http:', 'https:')],
    ['the dev origin with a trailing dot', 'http://localhost.:5173'],
    ['a subdomain of localhost at the dev port', 'http://evil.localhost:5173'],
  ];
  const accepted: [string, string][] = [
    ['its own origin', `http://${own}`],
    ['its own origin with the scheme in upper case', `HTTP://${own}`],
    ['the allow-listed dev origin', devOrigin],
  ];

  it.each(foreign)(
    'refuses %s (%s) with 403 FORBIDDEN_ORIGIN everywhere',
    async (label, origin) => {
      for (const target of targets) {
        const response = await send(target, [
          ['Host', own],
          ['Origin', origin],
        ]);
        expectForbidden(response, 'FORBIDDEN_ORIGIN', `${label} → ${target.name}`);
      }
    },
  );

  it.each(accepted)('accepts %s (%s)', async (label, origin) => {
    for (const target of targets) {
      const response = await send(target, [
        ['Host', own],
        ['Origin', origin],
      ]);
      const expected = target.name.startsWith('WS') ? 101 : 200;
      expect(response.status, `${label} → ${target.name}: ${response.body}`).toBe(expected);
    }
  });

  it('accepts no Origin (curl, scripts) and the own origin under another loopback Host', async () => {
    for (const [host, origin] of [
      [own, undefined],
      [`localhost:${port}`, `http://localhost:${port}`],
      [`[::1]:${port}`, `http://[::1]:${port}`],
    ] as const) {
      const response = await rawHttp(port, {
        path: '/v1/system',
        headers: [
          ['Host', host],
          ['Authorization', admin],
          ...(origin === undefined ? [] : [['Origin', origin] as [string, string]]),
        ],
      });
      expect(response.status, `${host} ${origin}`).toBe(200);
    }
  });

  it('refuses a cross-site WebSocket even with a valid ticket, and the ticket survives it', async () => {
    const { ticket } = (
      await h.inject({ method: 'POST', url: '/v1/ws-tickets', headers: { authorization: admin } })
    ).json() as { ticket: string };
    const path = `/v1/events?ticket=${ticket}`;
    const hijack = await rawHttp(port, {
      path,
      headers: [['Host', own], ['Origin', 'http://evil.com'], ...upgradeHeaders()],
    });
    expectForbidden(hijack, 'FORBIDDEN_ORIGIN', 'cross-site upgrade');
    const rightful = await rawHttp(port, {
      path,
      headers: [['Host', own], ['Origin', `http://${own}`], ...upgradeHeaders()],
    });
    expect(rightful.status).toBe(101);
  });
});

describe('afterwards', () => {
  it('the engine is alive and /health answers 200', async () => {
    const response = await rawHttp(port, {
      path: '/health',
      headers: [['Host', `127.0.0.1:${port}`]],
    });
    expect(response.status).toBe(200);
    expect(parseBody(response.body)).toEqual({ status: 'ok' });
  });
});
