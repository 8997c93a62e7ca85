import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineError } from '../errors';
import { processExists, tempDir } from '../media/__fixtures__/media-fixtures';
import { resolveFfmpegTools, type FfmpegTools } from '../media/ffmpeg-tools';
import { engineRejection } from '../test-support/engine-rejection';
import {
  loggedLines,
  signalLogger,
  startedPid,
  writeNodeProgram,
} from './__fixtures__/node-program';
import {
  DEFAULT_STDERR_TAIL_BYTES,
  runProcess,
  startProcess,
  type ProcessFailure,
} from './run-process';

let tools: FfmpegTools;
let dir: string;
let remove: () => Promise<void>;

beforeAll(async () => {
  tools = await resolveFfmpegTools();
  ({ dir, remove } = await tempDir());
});
afterAll(() => remove());

/** Every failure becomes DECODE_FAILED carrying the reason, so tests can see what the module saw. */
const failAs = (failure: ProcessFailure) => ({
  code: 'DECODE_FAILED' as const,
  message: `${failure.command} failed (${failure.reason}).`,
  details: { reason: failure.reason },
});
const node = process.execPath;

describe('runProcess', () => {
  it('passes arguments as they are, never through a shell', async () => {
    const tricky = ['$(echo injected)', 'a b; echo also', '"quoted"', '*'];
    const { stdout } = await runProcess(
      node,
      ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...tricky],
      { fail: failAs },
    );
    expect(JSON.parse(stdout.toString('utf8'))).toEqual(tricky);
  });

  it("keeps the tail of a failing ffmpeg's stderr on the error", async () => {
    const missing = path.join(dir, 'no-such-input.wav');
    const error = await engineRejection(
      runProcess(tools.ffmpeg, ['-nostdin', '-v', 'error', '-i', missing, '-f', 'null', '-'], {
        fail: failAs,
      }),
      'DECODE_FAILED',
    );
    expect(error.details).toMatchObject({ command: 'ffmpeg', reason: 'exit', signal: null });
    expect(error.details?.exitCode).not.toBe(0);
    expect(error.details?.stderrTail).toContain('No such file or directory');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('keeps only the last KBs of a long stderr', async () => {
    const error = await engineRejection(
      runProcess(
        node,
        [
          '-e',
          `for (let i = 0; i < 5000; i += 1) process.stderr.write('line ' + i + '\\n'); process.exitCode = 3;`,
        ],
        { fail: failAs },
      ),
    );
    const tail = error.details?.stderrTail as string;
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(DEFAULT_STDERR_TAIL_BYTES);
    expect(Buffer.byteLength(tail)).toBeGreaterThan(DEFAULT_STDERR_TAIL_BYTES / 2);
    expect(tail.trimEnd().endsWith('line 4999')).toBe(true);
    expect(error.details?.exitCode).toBe(3);
  });

  it('reports a program that cannot be started with reason "start"', async () => {
    const error = await engineRejection(
      runProcess(path.join(dir, 'nothing-here'), [], { fail: failAs }),
    );
    expect(error.details).toMatchObject({ reason: 'start', command: 'nothing-here' });
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('stops a process that writes more stdout than allowed', async () => {
    const error = await engineRejection(
      runProcess(node, ['-e', "setInterval(() => process.stdout.write('x'.repeat(65536)), 1)"], {
        fail: failAs,
        maxStdoutBytes: 100_000,
      }),
    );
    expect(error.details).toMatchObject({ reason: 'stdout-limit' });
  });
});

describe.skipIf(process.platform === 'win32')('stopping a process', () => {
  it('cancel sends SIGTERM; a process that exits on it is gone at once', async () => {
    const log = path.join(dir, 'polite.log');
    const program = await writeNodeProgram(dir, 'polite', signalLogger(log, false));
    const controller = new AbortController();
    const run = runProcess(program, [], { fail: failAs, signal: controller.signal });
    const pid = await startedPid(log);
    const began = performance.now();
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - began).toBeLessThan(1000);
    expect(processExists(pid)).toBe(false);
    expect(await loggedLines(log)).toContain('SIGTERM');
  });

  it('a process that ignores SIGTERM is SIGKILLed after the grace period', async () => {
    const log = path.join(dir, 'stubborn.log');
    const program = await writeNodeProgram(dir, 'stubborn', signalLogger(log, true));
    const controller = new AbortController();
    const run = runProcess(program, [], {
      fail: failAs,
      signal: controller.signal,
      graceMs: 400,
    });
    const pid = await startedPid(log);
    const began = performance.now();
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    const took = performance.now() - began;
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(2000);
    expect(processExists(pid)).toBe(false);
    expect(await loggedLines(log)).toContain('SIGTERM');
  });

  it('stop() ends it the same way and says which signal did', async () => {
    const log = path.join(dir, 'stopped.log');
    const program = await writeNodeProgram(dir, 'stopped', signalLogger(log, true));
    const running = startProcess(program, [], { fail: failAs, graceMs: 200 });
    const pid = await startedPid(log);
    await running.stop();
    expect(processExists(pid)).toBe(false);
    const error: EngineError = await engineRejection(running.done, 'CANCELLED');
    expect(error.details).toMatchObject({ command: 'stopped', signal: 'SIGKILL' });
  });

  it('a timeout stops the process the same way and fails with reason "timeout"', async () => {
    const log = path.join(dir, 'slow.log');
    const program = await writeNodeProgram(dir, 'slow', signalLogger(log, true));
    const began = performance.now();
    // Long enough for Node to start (and set its SIGTERM handler) on a loaded machine.
    const run = runProcess(program, [], { fail: failAs, timeoutMs: 3000, graceMs: 300 });
    const pid = await startedPid(log);
    const error = await engineRejection(run, 'DECODE_FAILED');
    expect(performance.now() - began).toBeGreaterThanOrEqual(3290);
    expect(error.details).toMatchObject({ reason: 'timeout', signal: 'SIGKILL' });
    expect(processExists(pid)).toBe(false);
    expect(await loggedLines(log)).toContain('SIGTERM');
  });

  it('an already aborted signal starts nothing', () => {
    expect(() =>
      startProcess(node, ['-e', ''], { fail: failAs, signal: AbortSignal.abort() }),
    ).toThrow(expect.objectContaining({ code: 'CANCELLED' }) as Error);
  });
});
