import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from './electron-binary';

const dir = mkdtempSync(join(tmpdir(), 'studio-electron-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findElectronBinary', () => {
  it('finds a binary under ELECTRON_OVERRIDE_DIST_PATH', () => {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'electron'), '');
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'dist') })).toBe(
      join(dir, 'dist', 'electron'),
    );
  });

  it('reports nothing when the override folder has no binary', () => {
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'empty') })).toBeUndefined();
  });
});
