import { execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { speech } from '../engine/whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../engine/whisper/test-model/make-test-model';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'studio-cli-bin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(file: string, args: string[], cwd: string): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const { version, bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  bin?: Record<string, string>;
};

describe('the studio command (package.json bin)', () => {
  it('is declared as "studio"', () => {
    expect(bin?.studio).toBe('bin/studio.js');
  });

  it('`npx studio --version` runs from the project checkout', async () => {
    const result = await run('npx', ['--offline', 'studio', '--version'], root);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(version);
    expect(result.code).toBe(0);
  }, 120_000);

  it('`npx studio models list --data-dir <dir>` lists the catalog from a subfolder of the project', async () => {
    const dataDir = join(work, 'data');
    const result = await run(
      'npx',
      ['--offline', 'studio', 'models', 'list', '--data-dir', dataDir],
      join(root, 'src-main'),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ID\s+KIND\s+SIZE/);
    expect(result.stdout).toMatch(/whisper-tiny\.en\s+whisper/);
  }, 120_000);

  it('bin/studio.js runs from any working directory (as an installed or linked package does)', async () => {
    const result = await run(
      process.execPath,
      [join(root, 'bin', 'studio.js'), '--data-dir', join(work, 'elsewhere'), 'models', 'list'],
      work,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/whisper-tiny\.en\s+whisper/);
  }, 120_000);

  it('says plainly what is missing where tsx cannot be found (an install without it)', async () => {
    const bare = join(work, 'bare');
    mkdirSync(join(bare, 'bin'), { recursive: true });
    writeFileSync(join(bare, 'package.json'), '{ "type": "module" }');
    copyFileSync(join(root, 'bin', 'studio.js'), join(bare, 'bin', 'studio.js'));
    const result = await run(process.execPath, [join(bare, 'bin', 'studio.js'), '--version'], bare);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: the studio command runs through tsx, which cannot be found from ${join(bare, 'bin')}. ` +
        'In a checkout of the project run `npm ci` there; where the package was installed, ' +
        'install tsx beside it (`npm install tsx`). Then try again.\n',
    );
  });

  it('transcribes from a working directory outside the project (its worker processes find tsx too)', async () => {
    const model = (await ensureTestModel('tiny', 1)).path;
    const out = join(work, 'out');
    const result = await run(
      process.execPath,
      [
        join(root, 'bin', 'studio.js'),
        '--data-dir',
        join(work, 'transcribe-data'),
        'transcribe',
        speech.jfk,
        '--model',
        model,
        '--format',
        'txt',
        '--out',
        out,
      ],
      work,
    );
    expect(result.stdout).toContain('1 file: 1 done, 0 failed.');
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(out, 'jfk.txt'), 'utf8').length).toBeGreaterThan(0);
  }, 180_000);

  it.skipIf(!existsSync(join(root, 'out', 'renderer', 'index.html')))(
    '`studio serve` started from another folder serves the built UI',
    async () => {
      const child = spawn(
        process.execPath,
        [
          join(root, 'bin', 'studio.js'),
          '--data-dir',
          join(work, 'serve-data'),
          'serve',
          '--port',
          '0',
        ],
        { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      try {
        const until = Date.now() + 60_000;
        let url: string | undefined;
        while (!(url = /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0])) {
          if (Date.now() > until || child.exitCode !== null) throw new Error(`no URL: ${output}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const page = await fetch(`${url}/`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/text\/html/);
        expect(await page.text()).toMatch(/<div id="root">/);
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    },
    90_000,
  );
});
