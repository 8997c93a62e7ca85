/**
 * A worker process lives for its engine only: when the engine is gone (killed with -9, crashed),
 * the worker ends at once instead of finishing a transcription nobody will read, at full CPU.
 *
 * Three ways to notice, whichever comes first:
 * - Linux: the kernel kills the worker with its parent (prctl PR_SET_PDEATHSIG, through the
 *   native addon's `dieWithParent`), even while the worker's JS thread is busy.
 * - A Node child (fork): its IPC channel to the engine closes ('disconnect').
 * - Anywhere else (an Electron utility process on macOS): the parent pid changes, checked once a
 *   second (on POSIX an orphan is adopted by another process).
 *
 * Ending is a SIGKILL of the worker itself: native threads may be inside whisper.cpp, and exit
 * handlers running beside them could hang or crash; the worker has nothing to save.
 */

export interface ParentWatchOptions {
  /** Sets the kernel's parent-death signal (the native addon); false when it cannot. */
  dieWithParent?: () => boolean;
  /** How often the parent pid is compared. @default 1000 */
  pollMs?: number;
  /** @default kills this process */
  onParentGone?: () => void;
}

/** Set by the engine for the workers it forks, so that a parent that died early is noticed. */
export const enginePidVariable = 'STUDIO_ENGINE_PID';

const killSelf = () => {
  process.kill(process.pid, 'SIGKILL');
};

/** Arranges for this worker process to end when the process that started it ends. */
export function exitWithParent(options: ParentWatchOptions = {}): void {
  const { pollMs = 1000, onParentGone = killSelf } = options;
  const parent = Number(process.env[enginePidVariable]) || process.ppid;
  let gone = false;
  const end = () => {
    if (gone) return;
    gone = true;
    onParentGone();
  };
  try {
    options.dieWithParent?.();
  } catch {
    // No addon (or not Linux): the checks below still apply.
  }
  // The parent may have died before any of this was set up (then this process has been adopted).
  if (process.ppid !== parent || (process.send !== undefined && !process.connected)) {
    end();
    return;
  }
  if (process.send !== undefined) process.once('disconnect', end);
  if (process.platform !== 'win32') {
    setInterval(() => {
      if (process.ppid !== parent) end();
    }, pollMs).unref();
  }
}
