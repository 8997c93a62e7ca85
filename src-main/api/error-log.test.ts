import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEngine, type Engine } from '../engine/create-engine';
import { EngineError } from '../engine/errors';
import { buildApp } from './app';

let dataDir: string;
let engine: Engine;
let app: FastifyInstance;
let auth: { authorization: string };

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'studio-error-log-'));
  engine = createEngine({ dataDir });
  app = await buildApp({ engine });
  // Routes that fail the way a bug would, with secrets in their messages.
  app.get('/v1/test-failure', () => {
    throw new TypeError('cannot read "x" of undefined (ticket=wst_secret123)', {
      cause: new Error('the inner cause'),
    });
  });
  app.get('/v1/test-worker-crash', () => {
    throw new EngineError('WORKER_CRASHED', 'The transcription worker crashed (signal SIGSEGV).');
  });
  auth = { authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}` };
});
afterEach(async () => {
  vi.restoreAllMocks();
  await app.close();
  await engine.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

interface LogLine {
  msg: string;
  reqId?: string;
  status?: number;
  method?: string;
  route?: string;
  err?: { type: string; message: string; stack?: string };
}
const logFile = () => join(dataDir, 'logs', 'engine.log');
/** The engine log's lines once one carries `requestId` (the file is written asynchronously). */
async function linesWith(requestId: string): Promise<{ text: string; entry: LogLine }> {
  for (let i = 0; i < 100; i += 1) {
    const text = readFileSync(logFile(), { encoding: 'utf8', flag: 'a+' });
    const entry = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine)
      .find((line) => line.reqId === requestId);
    if (entry) return { text, entry };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`No line with request id ${requestId} in ${logFile()}`);
}

describe('server errors are logged where a person finds them (without --log too)', () => {
  it('answers 500 INTERNAL with a request id found in <data>/logs/engine.log and on stderr, no secret of the request in either', async () => {
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const response = await app.inject({
      url: '/v1/test-failure?sig=abcdefSIG&token=tokenSECRET',
      headers: auth,
    });
    expect(response.statusCode).toBe(500);
    const { error } = response.json<{
      error: { code: string; message: string; details?: { requestId?: string } };
    }>();
    expect(error.code).toBe('INTERNAL');
    const requestId = error.details?.requestId;
    expect(requestId, JSON.stringify(error)).toMatch(/^[0-9a-f]{8}$/);
    expect(error.message).toContain(`request id ${requestId}`);
    expect(error.message).toContain('logs/engine.log');
    // Nothing internal reaches the client.
    expect(error.message).not.toContain('undefined');

    const { text, entry } = await linesWith(requestId!);
    expect(entry).toMatchObject({
      msg: 'request failed',
      status: 500,
      method: 'GET',
      route: '/v1/test-failure',
      err: { type: 'TypeError' },
    });
    expect(entry.err?.message).toContain('cannot read "x" of undefined (ticket=wst_[redacted])');
    expect(entry.err?.message).toContain('the inner cause');
    expect(entry.err?.stack).toContain('error-log.test.ts');
    for (const secret of [
      'wst_secret123',
      'abcdefSIG',
      'tokenSECRET',
      auth.authorization.slice(7),
    ]) {
      expect(text.includes(secret), secret).toBe(false);
    }

    const summary = stderr.join('');
    expect(summary).toContain(`engine error ${requestId}: GET /v1/test-failure → 500 TypeError`);
    expect(summary).toContain(logFile());
    expect(summary).not.toContain('wst_secret123');
  });

  it('gives every engine error of 500 or more its request id, in the answer and in the log', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const response = await app.inject({ url: '/v1/test-worker-crash', headers: auth });
    expect(response.statusCode).toBe(500);
    const { error } = response.json<{
      error: { code: string; message: string; details?: { requestId?: string } };
    }>();
    expect(error.code).toBe('WORKER_CRASHED');
    const requestId = error.details?.requestId;
    expect(requestId).toMatch(/^[0-9a-f]{8}$/);
    const { entry } = await linesWith(requestId!);
    expect(entry).toMatchObject({
      status: 500,
      route: '/v1/test-worker-crash',
      err: { message: 'The transcription worker crashed (signal SIGSEGV).' },
    });
  });

  it('shows the log file in GET /v1/system', async () => {
    const response = await app.inject({ url: '/v1/system', headers: auth });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ logFile: string | null }>().logFile).toBe(logFile());
  });
});
