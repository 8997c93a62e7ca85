/**
 * `npm run dist` where Electron's binary is missing and cannot be downloaded (as on this
 * project's machines): it stops before building anything, says why in plain words and what to
 * run instead, and exits non-zero. The run is made hermetic on any machine: no Electron binary
 * is found (an empty ELECTRON_OVERRIDE_DIST_PATH), the download cache is an empty folder and the
 * download host a closed port on loopback, so the real download attempt fails at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'studio-dist-msg-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run dist without an Electron binary', () => {
  it('says plainly that the installers need Electron and cannot be built here, builds nothing, exits 1', () => {
    const distBefore = existsSync(join(root, 'dist'));
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts', 'dist.ts')],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          ELECTRON_OVERRIDE_DIST_PATH: join(work, 'no-electron'),
          electron_config_cache: join(work, 'cache'),
          ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        },
      },
    );
    const version = (
      JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `The installers need the Electron binary (Electron ${version}, ${process.platform}-${process.arch})`,
    );
    expect(result.stderr).toContain('could not be downloaded on this machine');
    expect(result.stderr).toContain('run `npm run dist` where downloads work');
    expect(result.stderr).toContain('Nothing was built.');
    expect(result.stderr).toContain('npm run serve');
    // It stopped before the first build step.
    expect(result.stderr).not.toContain('dist: building');
    expect(existsSync(join(root, 'dist'))).toBe(distBefore);
  });
});
