import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadFile, partialPath, type DownloadProgress } from './downloader';
import {
  fixturePayload,
  startFixtureServer,
  type FixtureServer,
} from './__fixtures__/fixture-server';
import { engineRejection } from '../test-support/engine-rejection';

const size = 3 * 1024 * 1024 + 123;
let server: FixtureServer;
let dir: string;
let dest: string;

beforeAll(async () => {
  server = await startFixtureServer(fixturePayload(size, 42));
});
afterAll(() => server.close());

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'downloader-'));
  dest = join(dir, 'nested', 'model.bin');
  server.requests.length = 0;
  for (const key of Object.keys(server.behaviour))
    delete server.behaviour[key as keyof typeof server.behaviour];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const download = (extra: Partial<Parameters<typeof downloadFile>[0]> = {}) =>
  downloadFile({
    url: server.url,
    dest,
    expectedSha256: server.sha256,
    expectedSize: size,
    ...extra,
  });

describe('downloadFile', () => {
  it('downloads, verifies and renames atomically', async () => {
    const progress: DownloadProgress[] = [];
    let sawDestEarly = false;
    server.behaviour.chunkDelayMs = 3;
    const result = await download({
      onProgress: (p) => {
        progress.push(p);
        if (existsSync(dest) || !existsSync(partialPath(dest))) sawDestEarly = true;
      },
    });

    expect(result).toEqual({ bytes: size, sha256: server.sha256 });
    expect((await readFile(dest)).equals(server.payload)).toBe(true);
    expect(existsSync(partialPath(dest))).toBe(false);
    expect(sawDestEarly).toBe(false);
    expect(server.requests).toEqual([
      expect.objectContaining({ range: undefined, acceptEncoding: 'identity', status: 200 }),
    ]);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ receivedBytes: size, totalBytes: size });
    const received = progress.map((p) => p.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
  });

  it('throttles progress callbacks to about ten a second', async () => {
    const times: number[] = [];
    server.behaviour.chunkDelayMs = 8;
    await download({ onProgress: () => times.push(performance.now()) });
    expect(times.length).toBeGreaterThanOrEqual(3);
    const gaps = times.slice(1, -1).map((time, index) => time - (times[index] as number));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(99);
  });

  it('keeps the partial when the connection drops and resumes it with a Range request', async () => {
    server.behaviour.dropAfter = 1024 * 1024 + 7;
    const error = await engineRejection(download());
    expect(error.code).toBe('MODEL_DOWNLOAD_FAILED');
    expect(error.message).toMatch(/dropped.*partial download is kept and will resume/s);
    expect(existsSync(dest)).toBe(false);
    const partialSize = (await stat(partialPath(dest))).size;
    expect(partialSize).toBeGreaterThan(0);
    expect(partialSize).toBeLessThan(size);

    delete server.behaviour.dropAfter;
    const result = await download();
    expect(result.sha256).toBe(server.sha256);
    expect(server.requests[1]).toMatchObject({
      range: `bytes=${partialSize}-`,
      status: 206,
      bytesSent: size - partialSize,
    });
    expect((await readFile(dest)).equals(server.payload)).toBe(true);
    expect(existsSync(partialPath(dest))).toBe(false);
  });

  it('starts over when the server ignores the Range header', async () => {
    await mkdir(dirname(dest));
    await writeFile(partialPath(dest), server.payload.subarray(0, 1000));
    server.behaviour.ignoreRange = true;
    const result = await download();
    expect(result).toEqual({ bytes: size, sha256: server.sha256 });
    expect(server.requests.at(-1)).toMatchObject({
      range: 'bytes=1000-',
      status: 200,
      bytesSent: size,
    });
  });

  it('verifies a complete partial when the server answers 416', async () => {
    await mkdir(dirname(dest));
    await writeFile(partialPath(dest), server.payload);
    const result = await download({ expectedSize: undefined });
    expect(result.sha256).toBe(server.sha256);
    expect(server.requests).toEqual([expect.objectContaining({ status: 416, bytesSent: 0 })]);
    expect(existsSync(dest)).toBe(true);
  });

  it('starts over when the server refuses to resume an oversized partial', async () => {
    await mkdir(dirname(dest));
    await writeFile(partialPath(dest), Buffer.concat([server.payload, Buffer.from('extra')]));
    const result = await download({ expectedSize: undefined });
    expect(result.sha256).toBe(server.sha256);
    expect(server.requests.map((r) => [r.range, r.status])).toEqual([
      [`bytes=${size + 5}-`, 416],
      [undefined, 200],
    ]);
  });

  it('deletes the download and reports both hashes on a checksum mismatch', async () => {
    server.behaviour.corrupt = true;
    const error = await engineRejection(download());
    expect(error.code).toBe('MODEL_CHECKSUM_MISMATCH');
    expect(error.details).toMatchObject({ expectedSha256: server.sha256, bytes: size });
    expect(error.details?.actualSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(error.details?.actualSha256).not.toBe(server.sha256);
    expect(error.message).toMatch(
      /does not match its catalog checksum.*Try again.*report the catalog entry/s,
    );
    expect(existsSync(partialPath(dest))).toBe(false);
    expect(existsSync(dest)).toBe(false);
  });

  it('reports MODEL_OFFLINE when nothing listens on the port', async () => {
    const gone = await startFixtureServer(Buffer.from('x'));
    await gone.close();
    const error = await engineRejection(download({ url: gone.url }));
    expect(error.code).toBe('MODEL_OFFLINE');
    expect(error.message).toContain(`Cannot reach ${new URL(gone.url).host} (ECONNREFUSED)`);
    expect(error.message).toMatch(/check your connection/);
    // The remedy (download the URL by hand, import the file) is worded by each face from these.
    expect(error.details).toMatchObject({ url: gone.url, fix: 'import-model' });
  });

  it('reports MODEL_OFFLINE when the server never answers', async () => {
    server.behaviour.noResponse = true;
    const error = await engineRejection(download({ stallTimeoutMs: 300 }));
    expect(error.code).toBe('MODEL_OFFLINE');
    expect(error.message).toContain('no response within 0.3 s');
  });

  it('fails a stalled body after the stall timeout and keeps the partial', async () => {
    server.behaviour.stallAfter = 200_000;
    const error = await engineRejection(download({ stallTimeoutMs: 300 }));
    expect(error.code).toBe('MODEL_DOWNLOAD_FAILED');
    expect(error.message).toMatch(/No data arrived .* for 0.3 s.*kept and will resume/s);
    expect((await stat(partialPath(dest))).size).toBe(200_000);
  });

  it.each([404, 500])('reports HTTP %i with its status', async (status) => {
    server.behaviour.status = status;
    const error = await engineRejection(download());
    expect(error.code).toBe('MODEL_DOWNLOAD_FAILED');
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.details).toMatchObject({ status, url: server.url });
    expect(existsSync(partialPath(dest))).toBe(false);
  });

  it('cancels through the signal and keeps the partial', async () => {
    server.behaviour.chunkDelayMs = 10;
    const controller = new AbortController();
    const error = await engineRejection(
      download({
        signal: controller.signal,
        onProgress: (p) => {
          if (p.receivedBytes > 300_000) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('CANCELLED');
    expect((await stat(partialPath(dest))).size).toBeGreaterThan(300_000);
    expect(existsSync(dest)).toBe(false);
  });

  it('refuses to start when the signal is already aborted', async () => {
    const error = await engineRejection(download({ signal: AbortSignal.abort() }));
    expect(error.code).toBe('CANCELLED');
    expect(server.requests).toHaveLength(0);
  });

  it('follows redirects', async () => {
    const result = await download({ url: `${server.origin}/redirect` });
    expect(result.sha256).toBe(server.sha256);
    expect(server.requests.map((r) => r.status)).toEqual([302, 200]);
  });

  it('refuses a file whose size differs from the catalog before downloading it', async () => {
    const error = await engineRejection(download({ expectedSize: size + 1 }));
    expect(error.code).toBe('MODEL_DOWNLOAD_FAILED');
    expect(error.message).toContain(`offers ${size} bytes`);
    expect(existsSync(partialPath(dest))).toBe(false);
  });

  it.skipIf(!existsSync('/dev/full'))('maps ENOSPC to DISK_FULL', async () => {
    await mkdir(dirname(dest));
    await symlink('/dev/full', partialPath(dest));
    const error = await engineRejection(download());
    expect(error.code).toBe('DISK_FULL');
    expect(error.message).toContain('Not enough disk space');
  });
});
