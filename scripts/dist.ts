/**
 * `npm run dist [-- electron-builder options]`: the installers for this OS (Linux: AppImage and
 * deb, Windows: NSIS, macOS: dmg) in dist/, or a plain explanation of why they cannot be made here.
 *
 *   1. Electron's binary: present, or downloaded now (as `npm start` does); without it, stop.
 *   2. The portable native addon: `build:native --dist` (native/build-dist/, every CPU variant).
 *   3. The app bundles: `electron-vite build` (out/).
 *   4. electron-builder with build/electron-builder.yml (it rebuilds better-sqlite3 for
 *      Electron; afterwards better-sqlite3 is rebuilt for Node again, so `serve`, the CLI and
 *      the tests keep working in this checkout).
 *
 * Options after `--` go to electron-builder (e.g. `npm run dist -- --linux deb`, `--dir`).
 * STUDIO_GPU picks the addon's GPU backend as for build:native.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findElectronBinary, tryInstallElectron } from './electron-binary';

const root = resolve(import.meta.dirname, '..');
const electronVersion = (
  JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** Runs one step; its exit status (0 when it worked). */
function run(label: string, command: string, args: string[]): number {
  process.stderr.write(`dist: ${label}\n`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  const status = result.status ?? 1;
  if (status !== 0) process.stderr.write(`dist: ${label} failed (exit ${status})\n`);
  return status;
}

let binary = findElectronBinary();
if (!binary) {
  process.stderr.write(
    `dist: Electron ${electronVersion} is not installed yet; trying to download it…\n`,
  );
  binary = (await tryInstallElectron()) ? findElectronBinary() : undefined;
}
if (!binary) {
  process.stderr.write(
    [
      `The installers need the Electron binary (Electron ${electronVersion}, ${process.platform}-${process.arch}): it is not`,
      'installed and could not be downloaded on this machine (no access to its download host).',
      'electron-builder packs that binary into the app and downloads the tools that make the',
      'AppImage, deb, NSIS and dmg installers, so run `npm run dist` where downloads work.',
      'Nothing was built.',
      '',
      'Run the studio here in your browser instead:',
      '',
      '    npm run serve',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const steps: [string, string, string[]][] = [
  [
    'building the portable native addon (build:native --dist)',
    npx,
    ['tsx', 'scripts/build-native.ts', '--dist'],
  ],
  ['building the app (electron-vite build)', npx, ['electron-vite', 'build']],
];
for (const [label, command, args] of steps) {
  const status = run(label, command, args);
  if (status !== 0) process.exit(status);
}
const packaged = run('packaging (electron-builder)', npx, [
  'electron-builder',
  '--config',
  'build/electron-builder.yml',
  '--publish',
  'never',
  ...process.argv.slice(2),
]);
// electron-builder rebuilt better-sqlite3 in node_modules for Electron's ABI; put back the build
// for Node, which serve, the CLI and the tests load.
const restored = run('rebuilding better-sqlite3 for Node again', npm, [
  'rebuild',
  'better-sqlite3',
]);
if (packaged !== 0 || restored !== 0) process.exit(packaged || restored);
process.stderr.write(`dist: done; the installers are in ${join(root, 'dist')}\n`);
