import { utilityProcess } from 'electron';
import type { FromWorker } from '../engine/pool/messages';
import type { SpawnWorker } from '../engine/pool/worker-process';

/**
 * Pool workers (whisper, speaker diarization) as Electron utility processes (the Node-child
 * equivalent inside the app), so a native crash takes down one worker, never the window or the
 * engine. `name` labels them in the OS task manager.
 */
export function forkUtilityWorkers(entry: string, name = 'Whisper worker'): SpawnWorker {
  return (workerId) => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: `${name} ${workerId}`,
      stdio: 'pipe',
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).split('\n').slice(-40).join('\n');
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (handler) => child.on('message', (message: FromWorker) => handler(message)),
      onExit: (handler) =>
        child.once('exit', (code) =>
          handler({
            code,
            signal: null,
            stderrTail: stderr.split('\n').slice(-12).join('\n').trim(),
          }),
        ),
      // No handler for SIGTERM runs in a worker, so this ends even a worker stuck in native code.
      kill: () => void child.kill(),
    };
  };
}
