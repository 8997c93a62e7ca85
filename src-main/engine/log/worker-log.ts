import type { SpawnWorker } from '../pool/worker-process';
import type { EngineLogger } from './engine-log';

/**
 * `spawn` whose workers are watched: a worker that exits while the engine runs is logged, as
 * "worker crashed" (error) when it died of a signal other than the pool's own SIGKILL or with a
 * non-zero exit code, as "worker exited" (warn) otherwise — one the system killed for memory —
 * and as "worker stopped by the engine" (info) when the engine killed it itself. Its last stderr
 * lines go with it.
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
    // A worker the engine itself ended (a cancel it did not answer in time, a finished
    // system-information probe) is routine: noted, not warned about.
    let stoppedByEngine = false;
    const kill = process.kill;
    process.kill = () => {
      stoppedByEngine = true;
      kill.call(process);
    };
    process.onExit(({ code, signal, stderrTail }) => {
      if (!running()) return;
      const crashed = (signal !== null && signal !== 'SIGKILL') || (code !== null && code !== 0);
      const fields = { worker, workerId, pid, code, signal, stderrTail };
      if (stoppedByEngine) log.info(fields, 'worker stopped by the engine');
      else if (crashed) log.error(fields, 'worker crashed');
      else log.warn(fields, 'worker exited');
    });
    return process;
  };
}
