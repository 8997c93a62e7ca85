/**
 * The one way the engine runs an external program (ffmpeg, ffprobe, whisper-cli and its build in
 * tests). Every run:
 * - takes the executable's path from its caller and its arguments as an array: never a shell,
 *   never a path remembered by this module (two engines with different ffmpeg binaries can run side
 *   by side in one process);
 * - stops the same way whatever stops it (its AbortSignal, its timeout, `stop()`, too much
 *   output): our end of stdout is closed (a program blocked writing into a full pipe does not see
 *   SIGTERM until the write fails, ffmpeg among them), SIGTERM is sent, and SIGKILL follows if the
 *   process is still there after the grace period;
 * - keeps the last few KB of stderr and attaches them to its error: an EngineError with the code
 *   and message the caller chooses, details `{ command, exitCode, signal, stderrTail }` added here;
 * - settles only once the process has exited and its pipes are closed, so nothing is left behind.
 *
 * Why not execa (which has cancelSignal, forceKillAfterDelay and timeout): its maintained line
 * (10.x) needs Node ≥ 22 while the engine supports Node ≥ 20.19; the two things needed beyond those
 * options — a bounded stderr tail that never stops the process (execa's maxBuffer terminates the
 * subprocess when exceeded) and stdout streamed with backpressure plus the pipe closed on cancel —
 * would have to be written around it anyway; and what remains (a timer from SIGTERM to SIGKILL) is
 * a few lines against a dozen packages more in the desktop app.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { abortReason, EngineError, type ErrorCode } from '../errors';

/** How long a process has between SIGTERM and SIGKILL. */
export const DEFAULT_GRACE_MS = 2_000;
/** How much of the end of stderr is kept for the error. */
export const DEFAULT_STDERR_TAIL_BYTES = 4 * 1024;
/** The most stdout `runProcess` collects before it stops the process. */
export const DEFAULT_MAX_STDOUT_BYTES = 16 * 1024 * 1024;

/** Why a run failed: exit code ≠ 0, killed by a signal nobody here sent, timed out, never started, or too much stdout. */
export type ProcessFailureReason = 'exit' | 'signal' | 'timeout' | 'start' | 'stdout-limit';

export interface ProcessFailure {
  /** The executable's file name (not its folder). */
  command: string;
  reason: ProcessFailureReason;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last `stderrTailBytes` of stderr (with `stdout: 'tail'`, of both streams), as text. */
  stderrTail: string;
  /** For `reason: 'start'`: why the executable could not be started (ENOENT, EACCES, ...). */
  startError?: NodeJS.ErrnoException;
}

/** What the caller says about a failure: the error code and a message that names the remedy. */
export interface FailureReport {
  code: ErrorCode;
  message: string;
  /** Added to the error's details beside `command`, `exitCode`, `signal` and `stderrTail`. */
  details?: Record<string, unknown>;
}

export interface ProcessOptions {
  /** Turns a failure into the caller's code and message. */
  fail: (failure: ProcessFailure) => FailureReport;
  /** Stops the process (SIGTERM, then SIGKILL after the grace); the run rejects with the abort reason (CANCELLED). */
  signal?: AbortSignal;
  /** What the run does, for the CANCELLED message ("`action` was cancelled."). @default the command name */
  action?: string;
  /** Stops the process after this long; the run fails with reason `timeout`. @default no limit */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL. @default {@link DEFAULT_GRACE_MS} */
  graceMs?: number;
  /** @default {@link DEFAULT_STDERR_TAIL_BYTES} */
  stderrTailBytes?: number;
  cwd?: string;
  /** @default the engine's own environment */
  env?: NodeJS.ProcessEnv;
  /** Sees every piece of output as it arrives (build logs); the tail is kept regardless. */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
}

export interface ProcessExit {
  stderrTail: string;
}

/** A started process whose stdout the caller reads as a stream (with backpressure). */
export interface RunningProcess {
  readonly pid: number | undefined;
  /** Must be read (or the process stopped): a full pipe blocks the process. */
  readonly stdout: Readable;
  /**
   * Settles after the process has exited and its pipes have closed: resolves for exit code 0;
   * rejects with the abort reason when the signal fired, CANCELLED after `stop()`, otherwise the
   * caller's EngineError.
   */
  readonly done: Promise<ProcessExit>;
  /** Closes stdout, sends SIGTERM and SIGKILL after the grace; resolves once the process is reaped. */
  stop(): Promise<void>;
}

type Ending = 'abort' | 'stop' | 'timeout' | 'stdout-limit';

interface Launched extends RunningProcess {
  end(why: Ending): void;
}

/**
 * Starts `file` with `args`, stdout piped to the caller. Throws the abort reason at once for an
 * already aborted signal (nothing is started).
 */
export function startProcess(
  file: string,
  args: readonly string[],
  options: ProcessOptions,
): RunningProcess {
  const { pid, stdout, done, stop } = launch(file, args, options, 'stream');
  return { pid, stdout, done, stop };
}

export interface RunProcessOptions extends ProcessOptions {
  /**
   * `collect`: stdout is returned (at most `maxStdoutBytes`); `tail`: stdout joins stderr in the
   * kept tail (whisper-cli, compilers); `ignore`: discarded.
   * @default 'collect'
   */
  stdout?: 'collect' | 'tail' | 'ignore';
  /** @default {@link DEFAULT_MAX_STDOUT_BYTES} */
  maxStdoutBytes?: number;
}

export interface ProcessResult extends ProcessExit {
  /** What the process wrote to stdout (empty unless `stdout: 'collect'`). */
  stdout: Buffer;
}

/** Runs `file` with `args` to the end. See the module header for how it stops and fails. */
export async function runProcess(
  file: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  const mode = options.stdout ?? 'collect';
  const max = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT_BYTES;
  const running = launch(file, args, options, mode === 'tail' ? 'tail' : 'read');
  const chunks: Buffer[] = [];
  let size = 0;
  if (mode === 'collect') {
    running.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) running.end('stdout-limit');
      else chunks.push(chunk);
    });
  }
  const exit = await running.done;
  return { ...exit, stdout: Buffer.concat(chunks) };
}

function launch(
  file: string,
  args: readonly string[],
  options: ProcessOptions,
  stdoutMode: 'stream' | 'read' | 'tail',
): Launched {
  const command = path.basename(file);
  const { signal } = options;
  const action = options.action ?? command;
  if (signal?.aborted) throw abortReason(signal, action);
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const tail = new Tail(options.stderrTailBytes ?? DEFAULT_STDERR_TAIL_BYTES);

  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let startError: NodeJS.ErrnoException | undefined;
  child.once('error', (error) => {
    startError ??= error;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    tail.push(chunk);
    options.onOutput?.(chunk.toString('utf8'), 'stderr');
  });
  if (stdoutMode !== 'stream') {
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdoutMode === 'tail') tail.push(chunk);
      options.onOutput?.(chunk.toString('utf8'), 'stdout');
    });
  }

  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  let ending: Ending | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const end = (why: Ending) => {
    ending ??= why;
    // Nobody reads stdout any more: closing it fails a blocked write (which SIGTERM alone does not
    // interrupt), and lets 'close' come even when unread output is left after the exit.
    child.stdout.destroy();
    if (exited || child.pid === undefined) return;
    child.kill('SIGTERM');
    killTimer ??= setTimeout(() => {
      if (!exited) child.kill('SIGKILL');
    }, graceMs);
  };
  const onAbort = () => end('abort');
  signal?.addEventListener('abort', onAbort, { once: true });
  const timeout =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => end('timeout'), options.timeoutMs);

  // 'close' follows both an exit and a failed start, after stdio has closed.
  const closed = new Promise<{ code: number | null; killedBy: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, killedBy) => resolve({ code, killedBy })),
  );
  const done = closed.then(({ code, killedBy }): ProcessExit => {
    clearTimeout(timeout);
    clearTimeout(killTimer);
    signal?.removeEventListener('abort', onAbort);
    const stderrTail = tail.text();
    if (signal?.aborted) throw abortReason(signal, action);
    if (ending === 'stop') {
      throw new EngineError('CANCELLED', `${action} was stopped.`, {
        details: { command, exitCode: code, signal: killedBy },
      });
    }
    const reason: ProcessFailureReason | undefined = startError
      ? 'start'
      : ending === 'timeout' || ending === 'stdout-limit'
        ? ending
        : code !== 0
          ? killedBy
            ? 'signal'
            : 'exit'
          : undefined;
    if (reason === undefined) return { stderrTail };
    const failure: ProcessFailure = {
      command,
      reason,
      exitCode: code,
      signal: killedBy,
      stderrTail,
      ...(startError ? { startError } : {}),
    };
    const report = options.fail(failure);
    throw new EngineError(report.code, report.message, {
      cause: startError ?? new Error(describeFailure(failure, options.timeoutMs)),
      details: { command, exitCode: code, signal: killedBy, stderrTail, ...report.details },
    });
  });
  // Callers that stop a process they no longer care about need not await `done`.
  done.catch(() => undefined);

  return {
    pid: child.pid,
    stdout: child.stdout,
    done,
    end,
    stop: async () => {
      end('stop');
      await closed;
    },
  };
}

/** One line for the error's cause: what happened to the process. */
export function describeFailure(failure: ProcessFailure, timeoutMs?: number): string {
  const { command } = failure;
  switch (failure.reason) {
    case 'start':
      return `${command} could not be started: ${failure.startError?.message ?? 'unknown error'}`;
    case 'timeout':
      return `${command} ran longer than ${timeoutMs ?? '?'} ms and was stopped`;
    case 'stdout-limit':
      return `${command} wrote more output than allowed and was stopped`;
    case 'signal':
      return `${command} was killed by ${failure.signal ?? 'a signal'}`;
    case 'exit':
      return `${command} exited with code ${failure.exitCode ?? '?'}`;
  }
}

/** The non-empty lines of a stderr tail, the last `count` of them. */
export function tailLines(text: string, count: number): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-count);
}

/** The last `limit` bytes of a stream, as text. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - (this.chunks[0]?.length ?? 0) >= this.limit) {
      this.size -= this.chunks.shift()?.length ?? 0;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    const kept = all.subarray(Math.max(0, all.length - this.limit));
    // A cut through a multi-byte character decodes to U+FFFD; drop it.
    return kept.toString('utf8').replace(/^\uFFFD+/, '');
  }
}
