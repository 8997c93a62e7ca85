import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEngine, type Engine } from '../engine/create-engine';
import { buildApp } from './app';
import { createErrorLog } from './error-log';

let dataDir: string;
let engine: Engine;
let app: FastifyInstance;
let auth: { authorization: string };

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'studio-error-log-'));
  engine = createEngine({ dataDir });
  app = await buildApp({ engine });
  // A route that fails the way a bug would, with a secret in its message.
  app.get('/v1/test-failure', () => {
    throw new TypeError('cannot read "x" of undefined (ticket=wst_secret123)', {
      cause: new Error('the inner cause'),
    });
  });
  auth = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
});
afterEach(async () => {
  vi.restoreAllMocks();
  await app.close();
  await engine.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('server errors are logged where a person finds them (without --log too)', () => {
  it('answers 500 INTERNAL with a reference found in <data>/logs/engine.log and on stderr, secrets redacted', async () => {
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const response = await app.inject({
      url: '/v1/test-failure?sig=abcdef',
      headers: auth,
    });
    expect(response.statusCode).toBe(500);
    const { error } = response.json<{ error: { code: string; message: string } }>();
    expect(error.code).toBe('INTERNAL');
    const reference = /reference ([0-9a-f]{8})/.exec(error.message)?.[1];
    expect(reference, error.message).toBeDefined();
    expect(error.message).toContain('logs/engine.log');
    // Nothing internal reaches the client.
    expect(error.message).not.toContain('undefined');

    const logFile = join(dataDir, 'logs', 'engine.log');
    let lines: string[] = [];
    for (let i = 0; i < 50 && lines.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      lines = readFileSync(logFile, { encoding: 'utf8', flag: 'a+' }).split('\n').filter(Boolean);
    }
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as {
      reference: string;
      status: number;
      method: string;
      route: string;
      error: { name: string; message: string; stack?: string }[];
    };
    expect(entry).toMatchObject({
      reference,
      status: 500,
      method: 'GET',
      route: '/v1/test-failure',
    });
    expect(entry.error.map((e) => e.message)).toEqual([
      'cannot read "x" of undefined (ticket=wst_[redacted])',
      'the inner cause',
    ]);
    expect(entry.error[0]?.stack).toContain('error-log.test.ts');
    expect(lines[0]).not.toContain('wst_secret123');
    expect(lines[0]).not.toContain('abcdef');

    const summary = stderr.join('');
    expect(summary).toContain(`engine error ${reference}: GET /v1/test-failure → 500 TypeError`);
    expect(summary).toContain(logFile);
    expect(summary).not.toContain('wst_secret123');
  });

  it('keeps the file bounded: past the limit it moves to engine.log.1 and starts again', async () => {
    const log = createErrorLog({ dataDir, echo: null, rotateBytes: 2000 });
    const where = { method: 'GET', route: '/v1/x', status: 500 };
    const references = Array.from({ length: 12 }, (_, i) =>
      log.record(new Error(`failure ${i} ${'y'.repeat(200)}`), where),
    );
    await log.flushed();
    const current = readFileSync(log.file, 'utf8');
    const previous = readFileSync(`${log.file}.1`, 'utf8');
    expect(Buffer.byteLength(current)).toBeLessThanOrEqual(2000);
    expect(current).toContain(references.at(-1));
    expect(previous).not.toContain(references.at(-1));
  });
});
