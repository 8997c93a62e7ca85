/**
 * writeExport on a really full file system: a 64 KiB tmpfs. Mounting needs root (CAP_SYS_ADMIN),
 * so the test is skipped where that is not available; `index.test.ts` covers the same path with
 * a simulated ENOSPC everywhere.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineRejection } from '../test-support/engine-rejection';
import { cue, documentOf } from './__fixtures__/sample-document';
import { writeExport } from './index';

function mountSmallTmpfs(): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'exports-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const mountPoint = mountSmallTmpfs();

afterAll(() => {
  if (!mountPoint) return;
  execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mountPoint)('writeExport on a full disk', () => {
  it('fails with DISK_FULL and leaves no partial file, and the old file stays whole', async () => {
    const dir = mountPoint ?? '';
    const old = path.join(dir, 'out.json');
    await writeFile(old, 'previous');
    // About 200 KiB of JSON: more than the 64 KiB the file system holds.
    const lines = Array.from({ length: 300 }, () => 'many words of a very long transcript');
    const doc = documentOf([cue('c1', null, 0, 1_000_000, lines)], []);
    const error = await engineRejection(writeExport(doc, 'json', old), 'DISK_FULL');
    expect(error.message).toContain(old);
    expect(await readdir(dir)).toEqual(['out.json']);
    expect(await readFile(old, 'utf8')).toBe('previous');
  });
});
