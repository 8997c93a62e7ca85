import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../e2e/serve-process';

const root = join(import.meta.dirname, '..', '..');
const jfk = join(root, 'test-data', 'fixtures', 'speech', 'jfk.wav');
const work = mkdtempSync(join(tmpdir(), 'studio-two-engines-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The real CLI (what `npm run cli --` runs) as a child process. */
async function cli(dataDir: string, args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src-main/cli/main.ts', '--data-dir', dataDir, ...args],
      { cwd: root, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const portOf = (serve: ServeProcess) => new URL(serve.url).port;

describe('two engines on one data folder', () => {
  it('a second serve exits with a message naming the running one (pid, port); the first keeps serving', async () => {
    const dataDir = join(work, 'second-serve');
    const first = await startServe({ dataDir });
    try {
      const message = await startServe({ dataDir }).then(
        async (second) => {
          await second.stop();
          return 'the second serve started';
        },
        (error: Error) => error.message,
      );
      expect(message).toMatch(/serve exited with 1/);
      expect(message).toContain(`in use by serve (pid ${first.child.pid}, port ${portOf(first)}`);
      expect(message).toContain('[ENGINE_BUSY]');
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
      expect(first.child.exitCode).toBeNull();
    } finally {
      expect(await first.stop()).toBe(0);
    }
  });

  it('CLI tools share the folder with serve (tokens), but transcribe refuses and names serve', async () => {
    const dataDir = join(work, 'cli-beside');
    const serve = await startServe({ dataDir });
    try {
      // `studio token create` is how a script gets its token while serve runs.
      const created = await cli(dataDir, ['token', 'create', '--scopes', 'read']);
      expect(created.code).toBe(0);
      const token = created.stdout.trim();
      const media = await fetch(`${serve.url}/v1/media`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(media.status).toBe(200);

      const transcribed = await cli(dataDir, [
        'transcribe',
        jfk,
        '-m',
        'tiny-random',
        '-o',
        join(work, 'out'),
      ]);
      expect(transcribed.code).toBe(1);
      expect(transcribed.stderr).toContain(
        `in use by serve (pid ${serve.child.pid}, port ${portOf(serve)}`,
      );
      expect(transcribed.stderr).toContain(`${serve.url}/docs`);
      // Nothing reached the server's library (transcribe adds the file before its job).
      expect((await serve.api<{ total: number }>('/v1/media')).total).toBe(0);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });

  it('a serve killed with -9 leaves no lock behind: the next one starts', async () => {
    const dataDir = join(work, 'killed');
    const first = await startServe({ dataDir });
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    const second = await startServe({ dataDir });
    try {
      expect((await fetch(`${second.url}/health`)).status).toBe(200);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
