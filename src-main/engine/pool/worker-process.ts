import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tsxUrl } from '../tsx-url';
import type { FromWorker, ToWorker } from './messages';
import { enginePidVariable } from './parent-watch';

export interface WorkerExit {
  code: number | null;
  signal: string | null;
  /** The last lines the worker wrote to stderr (a native crash often explains itself there). */
  stderrTail: string;
}

/** The pool's end of one worker process, whatever started it (Node fork or Electron utilityProcess). */
export interface WorkerProcess {
  readonly pid: number | undefined;
  send(message: ToWorker): void;
  onMessage(handler: (message: FromWorker) => void): void;
  onExit(handler: (exit: WorkerExit) => void): void;
  /** Hard kill (SIGKILL): used after a cancelled job ignores the soft abort. */
  kill(): void;
}

export type SpawnWorker = (workerId: number) => WorkerProcess;

const tailLines = (text: string, lines = 12) => text.split('\n').slice(-lines).join('\n').trim();

/** The default entry: the native whisper worker beside this module. */
export const defaultWorkerEntry = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));

/**
 * Starts workers with Node's `child_process.fork`. A TypeScript entry runs through tsx; structured
 * clone ("advanced" serialization) carries Float32Array PCM without conversion.
 */
export function forkNodeWorkers(
  entry = defaultWorkerEntry,
  env: NodeJS.ProcessEnv = process.env,
): SpawnWorker {
  return () => {
    const child = fork(entry, [], {
      execArgv: entry.endsWith('.ts') ? ['--import', tsxUrl('tsx')] : [],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // The worker ends with this process (parent-watch.ts); this says which one it is.
      env: { ...env, [enginePidVariable]: String(process.pid) },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = tailLines(stderr + chunk.toString(), 40);
    });
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (handler) => child.on('message', (message) => handler(message as FromWorker)),
      onExit: (handler) =>
        child.once('exit', (code, signal) =>
          handler({ code, signal, stderrTail: tailLines(stderr) }),
        ),
      kill: () => void child.kill('SIGKILL'),
    };
  };
}
