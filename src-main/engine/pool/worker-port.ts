import type { FromWorker, ToWorker } from './messages';

/** The worker's end of the channel to the pool. */
export interface WorkerPort {
  send(message: FromWorker): void;
  onMessage(handler: (message: ToWorker) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/**
 * The port of the current process: Electron's `process.parentPort` in a utility process,
 * Node's IPC channel (`process.send`) in a forked child.
 */
export function currentProcessPort(): WorkerPort {
  const parentPort = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (handler) => parentPort.on('message', (event) => handler(event.data as ToWorker)),
    };
  }
  if (!process.send)
    throw new Error('A whisper worker must be started by the pool (no IPC channel).');
  return {
    send: (message) => process.send?.(message),
    onMessage: (handler) => process.on('message', (message) => handler(message as ToWorker)),
  };
}
