import type { SpawnWorker } from '../pool/worker-process';
import type { EngineLogger } from './engine-log';

/**
 * `spawn` whose workers are watched: a worker that exits while the engine runs is logged, as
 * "worker crashed" (error) when it died of a signal other than the pool's own SIGKILL or with a
 * non-zero exit code, as "worker exited" (warn) otherwise — a worker killed after a cancel it
 * ignored, or one the system killed for memory. Its last stderr lines go with it.
 */
export function logWorkerExits(
  spawn: SpawnWorker,
  worker: string,
  log: EngineLogger,
  running: () => boolean,
): SpawnWorker {
  return (workerId) => {
    const process = spawn(workerId);
    const pid = process.pid;
    process.onExit(({ code, signal, stderrTail }) => {
      if (!running()) return;
      const crashed = (signal !== null && signal !== 'SIGKILL') || (code !== null && code !== 0);
      const fields = { worker, workerId, pid, code, signal, stderrTail };
      if (crashed) log.error(fields, 'worker crashed');
      else log.warn(fields, 'worker exited');
    });
    return process;
  };
}
