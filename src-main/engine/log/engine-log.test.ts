import {
  copyFileSync,
  writeFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../create-engine';
import { forkNodeWorkers } from '../pool/worker-process';
import { jobFinished } from '../test-support/job-finished';
import { speech } from '../whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../whisper/test-model/make-test-model';
import { createEngineLog, engineLogFile } from './engine-log';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'studio-engine-log-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

interface Line {
  level: number;
  time: string;
  msg: string;
  [field: string]: unknown;
}
const readLines = (file: string): Line[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);

describe('the engine log (<data>/logs/engine.log)', () => {
  it('keeps the file bounded: past the limit it moves to engine.log.1, .2, and the oldest goes', async () => {
    const log = createEngineLog({ dataDir: work, rotateBytes: 2000, keep: 2 });
    expect(log.file).toBe(engineLogFile(work));
    for (let i = 0; i < 60; i += 1) {
      log.logger.info({ i, filler: 'y'.repeat(200) }, `line ${i}`);
      // Rotation happens between writes; let the stream work as a real engine would.
      if (i % 5 === 4) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await log.close();
    const names = readdirSync(join(work, 'logs')).filter((name) => name.startsWith('engine.log'));
    expect(names.sort()).toEqual(['engine.log', 'engine.log.1', 'engine.log.2']);
    const lineBytes = Buffer.byteLength(readFileSync(log.file, 'utf8').split('\n')[0]!) + 1;
    for (const name of names) {
      // A file ends with the line that took it past the bound.
      expect(statSync(join(work, 'logs', name)).size, name).toBeLessThanOrEqual(2000 + lineBytes);
    }
    const newest = readLines(log.file).map((line) => line.msg);
    expect(newest.at(-1)).toBe('line 59');
    expect(readLines(`${log.file}.2`).map((line) => line.i)).not.toContain(0);
  });

  it('redacts every secret a request can carry, in messages and in fields', async () => {
    const log = createEngineLog({ dataDir: work });
    const token = `sts_${'T'.repeat(43)}`;
    log.logger.error(
      {
        req: {
          url: '/v1/media/x/file?exp=1&sig=SIGsecret123',
          headers: { authorization: 'Bearer opaqueSecret1' },
        },
        headers: { authorization: 'Bearer opaqueSecret2' },
      },
      `failed with ${token} at /v1/events?ticket=wst_ticketSecret and /x?token=plainSecret (Bearer opaqueSecret3)`,
    );
    await log.close();
    const text = readFileSync(log.file, 'utf8');
    expect(text).toContain('sig=[redacted]');
    for (const secret of [
      'SIGsecret123',
      'opaqueSecret1',
      'opaqueSecret2',
      'opaqueSecret3',
      token,
      'wst_ticketSecret',
      'plainSecret',
    ]) {
      expect(text.includes(secret), secret).toBe(false);
    }
  });

  it('drops lines written after close instead of failing', async () => {
    const log = createEngineLog({ dataDir: work });
    log.logger.info('before');
    await log.close();
    expect(() => log.logger.info('after')).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readLines(log.file).map((line) => line.msg)).toEqual(['before']);
  });
});

describe('what the engine logs', () => {
  it('logs its start (version, data folder) and its shutdown', async () => {
    const dataDir = join(work, 'data');
    const engine = createEngine({ dataDir, owner: 'a test' });
    await engine.shutdown();
    const lines = readLines(engineLogFile(dataDir));
    expect(lines[0]).toMatchObject({ msg: 'engine started', version: engine.version, dataDir });
    expect(lines.at(-1)).toMatchObject({ msg: 'engine stopped' });
    expect(engine.logFile).toBe(engineLogFile(dataDir));
  });

  it('a shared engine (a CLI command beside serve) adds no start and stop lines of its own', async () => {
    const dataDir = join(work, 'data');
    const holder = createEngine({ dataDir, owner: 'serve' });
    const shared = createEngine({ dataDir, shared: true });
    expect(shared.logFile).toBe(engineLogFile(dataDir));
    await shared.shutdown();
    await holder.shutdown();
    const lines = readLines(engineLogFile(dataDir));
    expect(lines.filter((line) => line.msg === 'engine started')).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'engine started', owner: 'serve', shared: false });
  });

  it('logs a failed job with its id, kind, code and message', async () => {
    const dataDir = join(work, 'data');
    const engine = createEngine({ dataDir });
    try {
      const copy = join(work, 'gone.wav');
      copyFileSync(speech.jfk, copy);
      const media = await engine.media.add(copy);
      rmSync(copy);
      await engine.jobs.start();
      const job = engine.jobs.submit({
        kind: 'transcribe',
        mediaId: media.id,
        params: { modelId: 'tiny-random' },
      });
      const done = await jobFinished(engine, job.id);
      expect(done.state).toBe('failed');
      await engine.shutdown();
      const failed = readLines(engineLogFile(dataDir)).find((line) => line.msg === 'job failed');
      expect(failed).toMatchObject({
        level: 50,
        jobId: job.id,
        kind: 'transcribe',
        code: done.error?.code,
        message: done.error?.message,
      });
    } finally {
      await engine.shutdown();
    }
  });

  it('logs a worker process that crashes', async () => {
    const dataDir = join(work, 'data');
    const entry = join(work, 'crashing-worker.mjs');
    // A worker that dies as it starts, the way a native crash would.
    writeFileSync(entry, 'process.stderr.write("native boom\\n"); process.exit(3);\n');
    const engine = createEngine({ dataDir, spawnWorker: forkNodeWorkers(entry) });
    try {
      await engine.models.importFile((await ensureTestModel('tiny', 1)).path, {
        id: 'tiny-random',
      });
      const failure = await engine.whisper
        .transcribe({ modelId: 'tiny-random', pcm: new Float32Array(16000) })
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'WORKER_CRASHED' });
    } finally {
      await engine.shutdown();
    }
    const crashed = readLines(engineLogFile(dataDir)).find((line) => line.msg === 'worker crashed');
    expect(crashed).toMatchObject({ level: 50, worker: 'whisper', code: 3 });
    expect(String(crashed?.stderrTail)).toContain('native boom');
  });

  it('does not warn about a worker the engine ended itself (the system-information probe)', async () => {
    const engine = createEngine({ dataDir: work });
    const info = await engine.system();
    expect(info.whisper.addon.available).toBe(true);
    // The probe worker is killed once it has answered; its exit arrives a moment later.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await engine.shutdown();
    const lines = readLines(engineLogFile(work));
    expect(lines.filter((line) => line.level >= 40)).toEqual([]);
    expect(lines.map((line) => line.msg)).toContain('worker stopped by the engine');
  }, 60_000);

  it('logs a model download that fails, without the secret in its URL', async () => {
    const server = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const catalogPath = join(work, 'catalog.json');
    writeFileSync(
      catalogPath,
      JSON.stringify({
        version: 1,
        models: [
          {
            id: 'broken',
            kind: 'whisper',
            name: 'Broken',
            description: 'Not on the server',
            url: `http://127.0.0.1:${port}/broken.bin?token=downloadSecret`,
            fileName: 'broken.bin',
            sizeBytes: 1000,
            sha256: 'a'.repeat(64),
            license: 'MIT',
            languages: ['en'],
          },
        ],
      }),
    );
    const dataDir = join(work, 'data');
    const engine = createEngine({ dataDir, catalogPath });
    try {
      await expect(engine.models.download('broken')).rejects.toThrow();
    } finally {
      await engine.shutdown();
      server.close();
    }
    const text = readFileSync(engineLogFile(dataDir), 'utf8');
    const failed = readLines(engineLogFile(dataDir)).find(
      (line) => line.msg === 'model download failed',
    );
    expect(failed).toMatchObject({ level: 50, modelId: 'broken' });
    expect(text).not.toContain('downloadSecret');
  });
});
