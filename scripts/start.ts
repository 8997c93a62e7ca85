// `npm start`: builds the app and opens the desktop window, or explains why it cannot.
import { spawn, spawnSync } from 'node:child_process';
import { findElectronBinary, tryInstallElectron } from './electron-binary';

const root = new URL('..', import.meta.url).pathname;

let binary = findElectronBinary();
if (!binary) {
  process.stdout.write('Electron is not installed yet; trying to download it…\n');
  binary = (await tryInstallElectron()) ? findElectronBinary() : undefined;
}
if (!binary) {
  process.stderr.write(
    [
      'The desktop window needs the Electron binary, and it is not installed and could not be',
      'downloaded on this machine (no access to its download host).',
      'Run the same engine and UI in your browser instead:',
      '',
      '    npm run serve',
      '',
      'Or install Electron where downloads work (npx install-electron) and run npm start again.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const child = spawn(binary, ['.'], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code) => process.exit(code ?? 1));
