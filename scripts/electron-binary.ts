import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where the Electron binary is, without triggering Electron's own lazy download (its
 * `require('electron')` downloads as a side effect). Undefined when it is not installed.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const candidate = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron')
    : relative && join(packageDir, 'dist', relative);
  return candidate && existsSync(candidate) ? candidate : undefined;
}

/** Asks Electron's installer to fetch the binary; false when that is not possible here. */
export async function tryInstallElectron(): Promise<boolean> {
  const { spawnSync } = await import('node:child_process');
  const installer = join(
    dirname(createRequire(import.meta.url).resolve('electron/package.json')),
    'install.js',
  );
  const result = spawnSync(process.execPath, [installer], { stdio: 'pipe', timeout: 120_000 });
  return result.status === 0 && findElectronBinary() !== undefined;
}
