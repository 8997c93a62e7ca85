import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findMediaFiles, hasMediaExtension } from './media-files';

const root = mkdtempSync(join(tmpdir(), 'studio-media-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('findMediaFiles', () => {
  it('searches folders recursively for media, in name order, and keeps named files as given', async () => {
    mkdirSync(join(root, 'b', 'deep'), { recursive: true });
    for (const name of ['b/deep/z.MP4', 'b/a.wav', 'b/notes.txt', 'c.mkv', 'odd.bin'])
      writeFileSync(join(root, name), '');
    const found = await findMediaFiles([join(root, 'b'), join(root, 'odd.bin')]);
    expect(found).toEqual([
      join(root, 'b', 'a.wav'),
      join(root, 'b', 'deep', 'z.MP4'),
      join(root, 'odd.bin'),
    ]);
  });

  it('recognises media extensions case-insensitively', () => {
    expect(hasMediaExtension('/x/Talk.M4A')).toBe(true);
    expect(hasMediaExtension('/x/readme.md')).toBe(false);
  });
});
