// Started by parent-death.test.ts. As `parent`: starts itself as `child` (no IPC channel) and
// prints `{"child":pid}` once the child is ready, then waits to be killed with -9. As `child`:
// arranges to die with its parent (the kernel's parent-death signal only: the pid check is made
// hourly), says ready, and keeps its JS thread busy for good.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dieWithParent } from '../../whisper/addon';
import { exitWithParent } from '../parent-watch';

if (process.argv[2] === 'child') {
  exitWithParent({ dieWithParent, pollMs: 3_600_000 });
  process.stdout.write('ready\n', () => {
    for (;;) Math.sqrt(Math.random());
  });
} else {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), 'child'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  child.stdout.once('data', () =>
    process.stdout.write(`${JSON.stringify({ child: child.pid })}\n`),
  );
  setInterval(() => undefined, 60_000);
}
