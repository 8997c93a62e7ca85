/**
 * The CLI words an error's remedy in its own commands, and every command a remedy names exists:
 * the real CLI, as a child process, is asked for each command's help.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { sources, texts } from './__fixtures__/source-texts';
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
    /** Each command named (its words up to the first argument, its options), and where. */
    const named = new Map<string, { words: string[]; where: string }>();
    const add = (command: string, where: string) => {
      const words = command
        .replace(/^--data-dir \S+ /, '')
        .split(' ')
        .filter((w) => /^(--)?[a-z][\w-]*$/.test(w));
      const key = words.join(' ');
      if (words.length > 0 && !named.has(key)) named.set(key, { words, where });
    };
    for (const fix of fixes) {
      for (const face of ['cli', 'api', 'ui'] as const) {
        const text = remedyFor({ code: 'MODEL_NOT_READY', details: { fix, modelId: 'm' } }, face);
        for (const words of commandsIn(text ?? '')) add(words.join(' '), `remedy ${fix} (${face})`);
      }
    }
    // Messages elsewhere: through cliCommand('…'), or `npx studio …` written out (the app's).
    for (const file of [
      ...sources(join(root, 'src-main')),
      ...sources(join(root, 'src-renderer')),
    ]) {
      const where = relative(root, file);
      for (const m of readFileSync(file, 'utf8').matchAll(/cliCommand\(\s*['"]([^'"$]+)['"]/g)) {
        add(m[1]!, where);
      }
      for (const text of texts(file)) {
        for (const m of text.matchAll(/npx studio ([^`'"\n<]+)/g)) add(m[1]!.trim(), where);
      }
    }
    expect([...named.keys()]).toEqual(
      expect.arrayContaining([
        'models download m',
        'models import',
        'models list',
        'token create --scopes',
        'serve',
      ]),
    );

    const helps = new Map<string, CliResult>();
    const help = async (path: string[]) => {
      const key = path.join(' ');
      if (!helps.has(key)) helps.set(key, await cli([...path, '--help']));
      return helps.get(key)!;
    };
    for (const [command, { words, where }] of named) {
      const context = `\`npx studio ${command}\` in ${where}`;
      const [first, second] = words;
      expect(first, context).toMatch(/^[a-z]/);
      // A group (`models`, `token`) takes the next word as its command.
      let path = [first!];
      const top = await help(path);
      if (/^Commands:/m.test(top.stdout) && second && !second.startsWith('-')) {
        path = [first!, second];
      }
      const result = await help(path);
      expect(result.code, context).toBe(0);
      // commander prints the usage of the command it found: the whole path, not a parent's.
      expect(result.stdout, context).toMatch(new RegExp(`^Usage: studio ${path.join(' ')} `, 'm'));
      for (const option of words.filter((w) => w.startsWith('--'))) {
        expect(result.stdout, context).toContain(option);
      }
    }
  }, 240_000);
});
