import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/create-engine';
import { buildApp } from './app';
import { isLoopbackHost, startServer } from './server';

let dataDir: string;
let engine: Engine;
let app: FastifyInstance;
/** Every /v1 call authenticates, as the UI does, with the engine's admin session token. */
let auth: { authorization: string };

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'studio-api-'));
  engine = createEngine({ dataDir });
  app = await buildApp({ engine });
  auth = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
});
afterEach(async () => {
  await app.close();
  await engine.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('GET /health', () => {
  it('answers ok without details', async () => {
    const response = await app.inject('/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 once shutdown has begun', async () => {
    await engine.shutdown();
    const response = await app.inject('/health');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'shutting-down' });
  });
});

describe('GET /v1/system', () => {
  it('reports the platform and the ffmpeg found on PATH', async () => {
    const body = (await app.inject({ url: '/v1/system', headers: auth })).json();
    expect(body).toMatchObject({ dataDir, cpus: expect.any(Number), platform: process.platform });
    expect(body.ffmpeg).toMatchObject({ available: true, problem: null });
    expect(body.ffmpeg.ffprobePath).toMatch(/ffprobe$/);
  });

  it('explains what to install when the configured ffmpeg does not exist', async () => {
    engine.settings.update({
      ffmpegPath: '/nonexistent/ffmpeg',
      ffprobePath: '/nonexistent/ffprobe',
    });
    const body = (await app.inject({ url: '/v1/system', headers: auth })).json();
    expect(body.ffmpeg.available).toBe(false);
    expect(body.ffmpeg.problem).toMatch(/install ffmpeg/i);
  });
});

describe('/v1/models', () => {
  it('lists the catalog with statuses', async () => {
    const { models } = (await app.inject({ url: '/v1/models', headers: auth })).json() as {
      models: { id: string; status: string }[];
    };
    expect(models.length).toBeGreaterThan(30);
    expect(models.find((m) => m.id === 'whisper-base.en')).toMatchObject({ status: 'missing' });
    expect(models.find((m) => m.id === 'silero-vad-v6.2.0')).toMatchObject({ kind: 'vad' });
  });

  it('answers 404 with the engine code for an unknown model', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/models/whisper-huge/download',
      headers: auth,
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({ code: 'MODEL_UNKNOWN' });
    expect(response.json().error.message).toMatch(/whisper-huge/);
  });

  it('answers 404 JSON for an unknown route', async () => {
    const response = await app.inject({ url: '/v1/nothing-here', headers: auth });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('NOT_FOUND');
  });
});

describe('startServer', () => {
  it('binds loopback by default and warns when told to bind elsewhere', async () => {
    const warnings: string[] = [];
    const server = await startServer({ engine, port: 0, warn: (m) => warnings.push(m) });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      expect(warnings).toEqual([]);
    } finally {
      await server.close();
    }
    const open = await startServer({
      engine,
      host: '0.0.0.0',
      port: 0,
      warn: (m) => warnings.push(m),
    });
    await open.close();
    expect(warnings[0]).toMatch(/reachable from other machines/);
  });

  it('recognises loopback names', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '192.168.1.2', '::'].some(isLoopbackHost)).toBe(false);
  });
});

describe('the UI files', () => {
  it('serves the app shell with a strict CSP, falls back for client routes, keeps API 404s JSON', async () => {
    const uiDir = join(dataDir, 'ui');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(uiDir);
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>shell</title>');
    const withUi = await buildApp({ engine, uiDir });
    try {
      const root = await withUi.inject('/');
      expect(root.statusCode).toBe(200);
      expect(root.body).toContain('<title>shell</title>');
      expect(root.headers['content-security-policy']).toMatch(
        /default-src 'self'.*object-src 'none'/,
      );
      const deep = await withUi.inject('/library/some-item');
      expect(deep.statusCode).toBe(200);
      expect(deep.body).toContain('<title>shell</title>');
      const api = await withUi.inject({ url: '/v1/missing', headers: auth });
      expect(api.statusCode).toBe(404);
      expect(api.json().error.code).toBe('NOT_FOUND');
    } finally {
      await withUi.close();
    }
  });
});

describe('the API description', () => {
  it('serves a valid OpenAPI 3.1 document generated from the route schemas, and a docs page', async () => {
    const response = await app.inject('/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    for (const path of ['/v1/media', '/v1/jobs/{id}', '/v1/transcripts/{id}', '/v1/ws-tickets']) {
      expect(Object.keys(document.paths)).toContain(path);
    }
    // The job view's fields come from the zod contract, not a hand-written copy.
    const jobSchema = document.paths['/v1/jobs/{id}'].get.responses['200'].content[
      'application/json'
    ].schema as { properties: Record<string, unknown> };
    expect(Object.keys(jobSchema.properties)).toEqual(
      expect.arrayContaining(['state', 'percent', 'etaSec', 'queuePosition']),
    );
    expect(document.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });

    const docs = await app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('hands out one-use WebSocket tickets to any valid token', async () => {
    expect((await app.inject({ method: 'POST', url: '/v1/ws-tickets' })).statusCode).toBe(401);
    const issued = await app.inject({ method: 'POST', url: '/v1/ws-tickets', headers: auth });
    expect(issued.statusCode).toBe(201);
    expect(issued.json()).toMatchObject({ ticket: expect.stringMatching(/^wst_/) });
    expect(Date.parse(issued.json().expiresAt)).toBeGreaterThan(Date.now());
  });
});
