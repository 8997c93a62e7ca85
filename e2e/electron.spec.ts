import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from '../scripts/electron-binary';

const binary = findElectronBinary();

test.describe('desktop window (Electron)', () => {
  test.skip(
    !binary,
    'Electron binary not installed (it cannot be downloaded on this machine); the same UI is tested in Chromium against `serve`.',
  );

  test('opens a sandboxed window showing the engine status', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'studio-electron-e2e-'));
    const app = await electron.launch({
      executablePath: binary,
      args: ['.', '--no-sandbox'],
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, STUDIO_DATA_DIR: dataDir },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('status')).toHaveText('Engine ready');
      // Context isolation + no Node integration: the page sees only the preload's bridge.
      const seen = await page.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        bridge: typeof (globalThis as { studio?: { openMediaDialog?: unknown } }).studio
          ?.openMediaDialog,
      }));
      expect(seen).toEqual({ require: 'undefined', process: 'undefined', bridge: 'function' });
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
