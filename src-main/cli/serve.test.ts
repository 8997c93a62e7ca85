import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe } from '../../e2e/serve-process';
import type { ModelStatus } from '../contract/models';
import { fixturePayload, startFixtureServer } from '../engine/models/__fixtures__/fixture-server';

const work = mkdtempSync(join(tmpdir(), 'studio-serve-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

describe('serve', () => {
  it('prints its loopback URL and answers /health within 5 s of start, with no model loaded', async () => {
    const port = await freePort();
    const serve = await startServe({ port });
    try {
      expect(serve.output()).toContain(`http://127.0.0.1:${port}`);
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      expect(serve.startupMs).toBeLessThan(5000);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
      // The browser link carries a working admin token in its fragment.
      expect(serve.output()).toContain(`Open the studio: ${serve.url}/#token=${serve.token}`);
      const system = await fetch(`${serve.url}/v1/system`, { headers: serve.auth });
      expect(system.status).toBe(200);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });

  it('refuses a bad port with a clear message', async () => {
    await expect(startServe({ port: -1 as number })).rejects.toThrow(/port is a whole number/);
  });

  it('on SIGTERM cancels a running download (keeping it resumable) and closes the library', async () => {
    const server = await startFixtureServer(fixturePayload(4_000_000, 3, true));
    server.behaviour.chunkDelayMs = 50; // 64 KiB every 50 ms: about 3 s in all
    const catalog = join(work, 'catalog.json');
    writeFileSync(
      catalog,
      JSON.stringify({
        version: 1,
        models: [
          {
            id: 'whisper-slow',
            kind: 'whisper',
            name: 'Slow',
            description: 'Served slowly.',
            url: server.url,
            fileName: 'ggml-slow.bin',
            sizeBytes: server.payload.length,
            sha256: server.sha256,
            license: 'MIT',
            languages: ['en'],
          },
        ],
      }),
    );
    const dataDir = join(work, 'data');
    const globalArgs = ['--catalog', catalog];
    const first = await startServe({ dataDir, globalArgs });
    try {
      const started = await fetch(`${first.url}/v1/models/whisper-slow/download`, {
        method: 'POST',
        headers: first.auth,
      });
      expect(started.status).toBe(202);
      // Wait until some bytes have arrived, then stop the server mid-download.
      let status: ModelStatus | undefined;
      for (let i = 0; i < 50; i += 1) {
        status = (await (
          await fetch(`${first.url}/v1/models/whisper-slow`, { headers: first.auth })
        ).json()) as ModelStatus;
        if ((status.progress?.receivedBytes ?? 0) > 300_000) break;
        await sleep(100);
      }
      expect(status?.status).toBe('downloading');
      const stopAt = Date.now();
      expect(await first.stop()).toBe(0);
      expect(Date.now() - stopAt).toBeLessThan(5000);
      expect(first.output()).toContain('Stopped.');
    } finally {
      if (first.child.exitCode === null) await first.stop();
    }
    const partial = join(dataDir, 'models', 'ggml-slow.bin.partial');
    expect(statSync(partial).size).toBeGreaterThan(300_000);
    expect(existsSync(join(dataDir, 'models', 'ggml-slow.bin'))).toBe(false);
    // A clean close checkpoints and removes the write-ahead log.
    expect(existsSync(join(dataDir, 'library.db-wal'))).toBe(false);

    // After a restart the model is resumable, and the resumed download completes.
    server.behaviour.chunkDelayMs = 0;
    const second = await startServe({ dataDir, globalArgs });
    try {
      const before = (await (
        await fetch(`${second.url}/v1/models/whisper-slow`, { headers: second.auth })
      ).json()) as ModelStatus;
      expect(before).toMatchObject({ status: 'missing', partialBytes: statSync(partial).size });
      await fetch(`${second.url}/v1/models/whisper-slow/download`, {
        method: 'POST',
        headers: second.auth,
      });
      let after: ModelStatus | undefined;
      for (let i = 0; i < 50 && after?.status !== 'ready'; i += 1) {
        await sleep(100);
        after = (await (
          await fetch(`${second.url}/v1/models/whisper-slow`, { headers: second.auth })
        ).json()) as ModelStatus;
      }
      expect(after?.status).toBe('ready');
      expect(server.requests.at(-1)?.range).toBe(`bytes=${before.partialBytes}-`);
    } finally {
      expect(await second.stop()).toBe(0);
      await server.close();
    }
  });
});
