import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepLeftovers } from './leftovers';

const work = mkdtempSync(join(tmpdir(), 'studio-leftovers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const twoDaysAgo = (Date.now() - 2 * 24 * 3600 * 1000) / 1000;
function file(path: string, old: boolean) {
  writeFileSync(path, 'x');
  if (old) utimesSync(path, twoDaysAgo, twoDaysAgo);
  return path;
}

describe('sweepLeftovers', () => {
  it('removes old unreferenced uploads and old temp files, and nothing else', async () => {
    const uploads = join(work, 'uploads');
    const temp = join(work, 'tmp');
    mkdirSync(uploads);
    mkdirSync(join(temp, 'job-1'), { recursive: true });
    const kept = file(join(uploads, 'in the library.wav'), true);
    const partial = file(join(uploads, 'partial-upload.mp3'), true);
    const recording = file(join(uploads, 'live-crashed.wav'), true);
    const fresh = file(join(uploads, 'being-written.wav'), false);
    const oldTemp = file(join(temp, 'openai-upload'), true);
    const oldFolder = join(temp, 'job-1');
    utimesSync(oldFolder, twoDaysAgo, twoDaysAgo);
    const freshTemp = file(join(temp, 'now'), false);

    const removed = await sweepLeftovers({
      uploadsDir: uploads,
      tempDir: temp,
      isReferenced: (path) => path === kept,
    });
    expect(removed.sort()).toEqual([oldFolder, oldTemp, partial, recording].sort());
    for (const path of [kept, fresh, freshTemp]) expect(existsSync(path)).toBe(true);
    for (const path of removed) expect(existsSync(path)).toBe(false);
  });

  it('is fine with folders that do not exist yet', async () => {
    expect(
      await sweepLeftovers({
        uploadsDir: join(work, 'none'),
        tempDir: join(work, 'none-either'),
        isReferenced: () => false,
      }),
    ).toEqual([]);
  });
});
