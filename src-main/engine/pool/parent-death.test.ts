// Fault test: the engine is killed with -9 while a worker transcribes. The worker must not go
// on using the CPU for a parent that is gone.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'studio-parent-death-'));
const strays: number[] = [];
afterAll(() => {
  for (const pid of strays) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** Alive and not a zombie waiting for a reaper. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const state = /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

describe.skipIf(process.platform === 'win32')('a worker whose engine is killed', () => {
  it('exits within 2 s of its engine being killed with -9 mid-transcription', async () => {
    const audio = join(work, 'long.wav');
    // 30 minutes of quiet noise: far longer than the test, whatever the machine.
    await promisify(execFile)('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'anoisesrc=d=1800:c=pink:a=0.05'],
      ...['-ar', '16000', '-ac', '1', audio],
    ]);
    const engine = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src-main/engine/pool/__fixtures__/engine-transcribing.ts',
        join(work, 'data'),
        audio,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    engine.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const workers = await new Promise<number[]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no busy worker in 90 s:\n${output}`)),
        90_000,
      );
      engine.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = /\{"workers":\[[\d,]+\]\}/.exec(output)?.[0];
        if (!line) return;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { workers: number[] }).workers);
      });
      engine.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the engine exited with ${code}:\n${output}`));
      });
    });
    strays.push(...workers);
    expect(workers.length).toBeGreaterThan(0);
    // Busy for a while: the transcription is well under way.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(workers.every(isRunning)).toBe(true);

    const exited = new Promise((resolve) => engine.once('exit', resolve));
    engine.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    while (workers.some(isRunning) && Date.now() - killedAt < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const lingered = Date.now() - killedAt;
    expect(workers.filter(isRunning)).toEqual([]);
    expect(lingered).toBeLessThan(2000);
  }, 150_000);

  it.skipIf(process.platform !== 'linux')(
    'exits with its parent even while its JS thread is busy (Linux: the kernel kills it)',
    async () => {
      const parent = spawn(
        process.execPath,
        ['--import', 'tsx', 'src-main/engine/pool/__fixtures__/busy-orphan.ts', 'parent'],
        { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const child = await new Promise<number>((resolve, reject) => {
        let output = '';
        const timer = setTimeout(() => reject(new Error(`no child in 30 s: ${output}`)), 30_000);
        parent.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /\{"child":(\d+)\}/.exec(output);
          if (!match) return;
          clearTimeout(timer);
          resolve(Number(match[1]));
        });
      });
      strays.push(child);
      expect(isRunning(child)).toBe(true);
      const exited = new Promise((resolve) => parent.once('exit', resolve));
      parent.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      while (isRunning(child) && Date.now() - killedAt < 5000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(isRunning(child)).toBe(false);
      expect(Date.now() - killedAt).toBeLessThan(2000);
    },
    60_000,
  );
});
