/**
 * Hashing a large file (a model download's check) streams it in 64 KiB pieces: the event loop
 * runs between them, so a multi-GB model never holds up the API.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256File } from './hash-file';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('sha256File', () => {
  it('hashes 256 MB without holding the event loop for more than 50 ms', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'studio-hash-'));
    dirs.push(dir);
    const file = join(dir, 'big.bin');
    const block = randomBytes(1024 ** 2);
    const expected = createHash('sha256');
    const out = createWriteStream(file);
    for (let i = 0; i < 256; i++) {
      const piece = Buffer.from(block);
      piece[0] = i;
      expected.update(piece);
      if (!out.write(piece))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );

    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const digest = await sha256File(file);
    loop.disable();
    expect(digest).toBe(expected.digest('hex'));
    expect(loop.max / 1e6).toBeLessThan(50);
  }, 60_000);
});
