import { EngineError } from './errors';

export interface TaskTracker {
  /**
   * Runs a long operation that shutdown may cancel. The operation receives a signal that
   * aborts when the caller's signal aborts or when shutdown begins.
   */
  run<T>(
    what: string,
    operation: (signal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T>;
  /** Number of operations still running. */
  readonly active: number;
  /** Refuses new operations, aborts running ones and waits for all of them to settle. */
  drain(): Promise<void>;
}

export function createTaskTracker(): TaskTracker {
  const running = new Map<Promise<unknown>, AbortController>();
  let draining = false;

  return {
    run(what, operation, signal) {
      if (draining) {
        return Promise.reject(
          new EngineError('SHUTTING_DOWN', `Cannot start ${what}: the engine is shutting down.`),
        );
      }
      const controller = new AbortController();
      const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
      const promise = operation(combined).finally(() => running.delete(promise));
      running.set(promise, controller);
      return promise;
    },
    get active() {
      return running.size;
    },
    async drain() {
      draining = true;
      const reason = new EngineError('SHUTTING_DOWN', 'The engine is shutting down.');
      for (const controller of running.values()) controller.abort(reason);
      await Promise.allSettled([...running.keys()]);
    },
  };
}
