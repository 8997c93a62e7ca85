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
        bridge: Object.entries(
          (globalThis as unknown as { studio: Record<string, unknown> }).studio,
        )
          .filter(([, value]) => typeof value === 'function')
          .map(([key]) => key)
          .sort(),
      }));
      expect(seen).toEqual({
        require: 'undefined',
        process: 'undefined',
        bridge: [
          'expandPaths',
          'onCommand',
          'onImportPaths',
          'openFolderDialog',
          'openMediaDialog',
          'pathForFile',
          'saveFileDialog',
        ],
      });
      // Menu commands reach the page through the bridge.
      await page.evaluate(() => {
        const studio = (
          globalThis as unknown as { studio: { onCommand(l: (c: string) => void): void } }
        ).studio;
        studio.onCommand(
          (command) => ((globalThis as { lastCommand?: string }).lastCommand = command),
        );
      });
      await app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows()[0]?.webContents.send('studio:command', 'go:queue'),
      );
      await expect
        .poll(() => page.evaluate(() => (globalThis as { lastCommand?: string }).lastCommand))
        .toBe('go:queue');
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
