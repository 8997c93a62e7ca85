import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/create-engine';
import { buildApp } from './app';

const work = mkdtempSync(join(tmpdir(), 'studio-docs-'));
let engine: Engine;
let app: FastifyInstance;

beforeAll(async () => {
  engine = createEngine({ dataDir: join(work, 'data') });
  app = await buildApp({ engine });
});
afterAll(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

/** The directives of a Content-Security-Policy header, by name. */
const directives = (header: unknown): Map<string, string[]> => {
  expect(typeof header, 'Content-Security-Policy header').toBe('string');
  return new Map(
    String(header)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
};

describe('/docs and /openapi.json', () => {
  it('may not be framed and load nothing but their own files, with no inline script', async () => {
    const pages = [
      '/docs',
      '/docs/',
      '/docs/static/index.html',
      '/docs/static/swagger-initializer.js',
      '/docs/static/swagger-ui-bundle.js',
      '/docs/static/swagger-ui.css',
      '/docs/json',
      '/openapi.json',
    ];
    for (const url of pages) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBeLessThan(400);
      expect(response.headers['x-frame-options'], url).toBe('DENY');
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      const csp = directives(response.headers['content-security-policy']);
      expect(csp.get('frame-ancestors'), url).toEqual(["'none'"]);
      expect(csp.get('default-src'), url).toEqual(["'self'"]);
      expect(csp.get('script-src'), url).toEqual(["'self'"]);
      expect(csp.get('object-src'), url).toEqual(["'none'"]);
      expect(csp.get('base-uri'), url).toEqual(["'none'"]);
      // Only this engine: no other host, scheme or inline code anywhere in the policy.
      for (const [name, values] of csp) {
        for (const value of values) {
          expect(value, `${url} ${name}`).toMatch(/^('self'|'none'|data:|'sha256-[\w+/=]+')$/);
        }
      }
    }
  });

  it('swagger-ui’s page uses no inline script the policy would have to allow', async () => {
    const html = (await app.inject('/docs/')).body;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
});
