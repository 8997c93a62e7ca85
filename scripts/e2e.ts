// Runs Playwright, under a virtual X display when there is none (Electron needs one).
import { spawnSync } from 'node:child_process';

const args = ['playwright', 'test', ...process.argv.slice(2)];
const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
const [command, commandArgs] =
  !process.env.DISPLAY && process.platform === 'linux' && hasXvfb
    ? ['xvfb-run', ['-a', 'npx', ...args]]
    : ['npx', args];
const result = spawnSync(command, commandArgs, { stdio: 'inherit' });
process.exit(result.status ?? 1);
