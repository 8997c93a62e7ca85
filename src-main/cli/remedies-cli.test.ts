/**
 * The CLI words an error's remedy in its own commands, and every command a remedy names exists:
 * the real CLI, as a child process, is asked for each command's help.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cliProgram, fixes, remedyFor } from '../common/remedies';
import { speech } from '../engine/media/__fixtures__/media-fixtures';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'studio-cli-remedies-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real CLI entry (what `npx studio` runs), as a child process. */
async function cli(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src-main/cli/main.ts', ...args],
      { cwd: root, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every `npx studio …` command quoted in `text`, without the program and a `--data-dir`. */
function commandsIn(text: string): string[][] {
  const quoted = [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  return quoted
    .filter((command) => command.startsWith(`${cliProgram} `))
    .map((command) =>
      command
        .slice(cliProgram.length + 1)
        .replace(/^--data-dir \S+ /, '')
        .split(' '),
    );
}

/** The source files under `dir` (tests excluded). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('the CLI words remedies in its own commands', () => {
  it('a transcription with no model installed says which command downloads one', async () => {
    const dataDir = join(work, 'empty');
    const result = await cli([
      '--data-dir',
      dataDir,
      'transcribe',
      speech.jfk,
      '--out',
      join(work, 'out'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^error: No Whisper model is installed\\. Download one with \`npx studio --data-dir ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} models download whisper-\\S+\`.*\\[MODEL_NOT_READY\\]$`,
        'm',
      ),
    );
    expect(result.stderr).not.toMatch(/npm run cli|Open Models|under Models|\/v1\//);
  }, 90_000);

  it('every command a remedy or a message names is a command of the CLI', async () => {
    const named = new Map<string, string[]>();
    const add = (words: string[], where: string) => {
      const key = words.join(' ');
      if (!named.has(key)) named.set(key, [...words, `(${where})`]);
    };
    for (const fix of fixes) {
      const text = remedyFor({ code: 'MODEL_NOT_READY', details: { fix, modelId: 'm' } }, 'cli');
      for (const words of commandsIn(text ?? '')) add(words, `remedy ${fix}`);
    }
    // Messages elsewhere name commands through cliCommand('…').
    for (const file of sources(join(root, 'src-main'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/cliCommand\(\s*['"]([^'"$]+)['"]/g)) {
        add(m[1]!.split(' '), relative(root, file));
      }
    }
    expect(named.size).toBeGreaterThan(3);

    for (const [command, words] of named) {
      const where = words.at(-1);
      const args = words.slice(0, -1);
      const path = args.filter((w, i) => !w.startsWith('-') && !w.startsWith('<') && i < 2);
      const options = args.filter((w) => w.startsWith('--'));
      const help = await cli([...path, '--help']);
      expect(help.code, `${command} ${where}`).toBe(0);
      // commander prints the usage of the command it found: the whole path, not a parent's.
      expect(help.stdout, `${command} ${where}`).toMatch(
        new RegExp(`^Usage: studio ${path.join(' ')} `, 'm'),
      );
      for (const option of options) expect(help.stdout, `${command} ${where}`).toContain(option);
    }
  }, 180_000);
});
