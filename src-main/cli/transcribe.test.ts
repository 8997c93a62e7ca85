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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalScreen } from './__fixtures__/terminal-screen';
import { validateDocument } from '../engine/documents/validate';
import { speech, testModels } from '../engine/whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../engine/whisper/test-model/make-test-model';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'studio-cli-transcribe-'));
const dataDir = join(work, 'data');
let model: string;
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cliArgs = (args: string[]) => [
  '--import',
  'tsx',
  'src-main/cli/main.ts',
  '--data-dir',
  dataDir,
  ...args,
];

async function cli(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const began = Date.now();
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, cliArgs(args), {
      cwd: root,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr, ms: Date.now() - began };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, ms: Date.now() - began };
  }
}

beforeAll(async () => {
  model = (await ensureTestModel('tiny', 1)).path;
  expect((await cli(['models', 'import', testModels.sileroVad])).code).toBe(0);
}, 120_000);

describe('cli transcribe', () => {
  it('writes SRT, VTT and JSON; the JSON is a valid document, ffmpeg reads the SRT, and a rerun is cached', async () => {
    const out = join(work, 'out');
    const first = await cli([
      'transcribe',
      speech.jfk,
      '--model',
      model,
      '--format',
      'srt,vtt,json',
      '--out',
      out,
    ]);
    expect(first.stdout).toContain('1 file: 1 done, 0 failed.');
    expect(first.code).toBe(0);
    for (const ext of ['srt', 'vtt', 'json'])
      expect(existsSync(join(out, `jfk.${ext}`))).toBe(true);
    const doc = validateDocument(JSON.parse(readFileSync(join(out, 'jfk.json'), 'utf8')));
    expect(doc.segments.length).toBeGreaterThan(0);

    const { stdout: vtt } = await promisify(execFile)('ffmpeg', [
      '-v',
      'error',
      '-i',
      join(out, 'jfk.srt'),
      '-f',
      'webvtt',
      '-',
    ]);
    expect(vtt.split('-->').length - 1).toBe(doc.segments.length);

    const again = await cli([
      'transcribe',
      speech.jfk,
      '--model',
      model,
      '--format',
      'srt',
      '--out',
      out,
    ]);
    expect(again.stdout).toContain('(cached)');
    expect(again.stdout).toContain('1 file: 1 done (1 from the cache), 0 failed.');
    expect(again.ms).toBeLessThan(first.ms);
  }, 180_000);

  it('walks folders, keeps going past a bad file and exits non-zero with a summary', async () => {
    const folder = join(work, 'batch');
    mkdirSync(join(folder, 'nested'), { recursive: true });
    copyFileSync(speech.jfk, join(folder, 'nested', 'good.wav'));
    writeFileSync(join(folder, 'broken.wav'), 'not really a wav file, just text\n'.repeat(30));
    writeFileSync(join(folder, 'notes.txt'), 'ignored: not media');
    const result = await cli([
      'transcribe',
      folder,
      '--model',
      model,
      '--format',
      'txt',
      '--out',
      join(work, 'batch-out'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✓ .*good\.wav/);
    // The failure on a line of its own, its full message on the next.
    expect(result.stdout).toMatch(/^✗ .*broken\.wav\n {2}"broken\.wav" .{40,}\.$/m);
    expect(result.stdout).not.toContain('notes.txt');
    // good.wav has jfk's content, so the cache may answer it.
    expect(result.stdout).toMatch(/2 files: 1 done( \(1 from the cache\))?, 1 failed\./);
    expect(existsSync(join(work, 'batch-out', 'good.txt'))).toBe(true);
  }, 180_000);

  it('finds speakers with --speakers and writes them into the exports', async () => {
    const out = join(work, 'speakers-out');
    const result = await cli([
      'transcribe',
      speech.jfk,
      '--model',
      model,
      '--speakers',
      '2',
      '--format',
      'json,vtt',
      '--out',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const doc = validateDocument(JSON.parse(readFileSync(join(out, 'jfk.json'), 'utf8')));
    expect(doc.speakers.length).toBeGreaterThan(0);
    expect(doc.segments.every((segment) => segment.speaker !== null)).toBe(true);
    expect(doc.notes.join(' ')).toMatch(/built-in fallback/);
    // WebVTT names the speaker of each cue.
    expect(readFileSync(join(out, 'jfk.vtt'), 'utf8')).toMatch(/<v Speaker \d>/);
    const bad = await cli(['transcribe', speech.jfk, '--model', model, '--speakers', 'many']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/"many" is not a speaker choice: use off, auto, channels/);
  }, 180_000);

  it('refuses an unknown format and an unknown model before doing any work', async () => {
    const format = await cli(['transcribe', speech.jfk, '--model', model, '--format', 'srt,pdf']);
    expect(format.code).not.toBe(0);
    expect(format.stderr).toMatch(
      /Unknown export format "pdf"\. Valid formats: srt, vtt, txt, json, csv, docx/,
    );
    const missing = await cli(['transcribe', speech.jfk, '--model', 'whisper-enormous']);
    expect(missing.code).not.toBe(0);
    // The CLI's remedy names the command that lists the models.
    expect(missing.stderr).toMatch(
      /"whisper-enormous" is neither a model id nor a model file\. .*`npx studio .*models list`/,
    );
  }, 60_000);

  it('help shows defaults as they are typed, not as JSON', async () => {
    const help = await cli(['transcribe', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/-f, --format <list> +export formats: [\w,]+ \(default:\s+srt\)/);
    expect(help.stdout).toMatch(/--speakers <choice> +find speakers: .*\(default:\s+Settings\)/s);
    expect(help.stdout).not.toMatch(/\(default:\s*[[{]/);
  });

  it('--watch transcribes files that appear in a folder until stopped', async () => {
    const inbox = join(work, 'inbox');
    const out = join(work, 'inbox-out');
    mkdirSync(inbox);
    const child = spawn(
      process.execPath,
      cliArgs(['transcribe', '--watch', inbox, '--model', model, '--format', 'srt', '--out', out]),
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await waitFor(() => output.includes('Watching'), 30_000);
    copyFileSync(speech.jfk, join(inbox, 'arrived.wav'));
    await waitFor(() => existsSync(join(out, 'arrived.srt')), 60_000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toMatch(/✓ .*arrived\.wav/);
  }, 120_000);
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `args` as one POSIX shell command line. */
const shellLine = (args: string[]) =>
  args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');

/**
 * Runs the CLI on a real terminal (a pseudo-terminal from `script`, 300 columns): what a person
 * sees. `input` may type into it (\x03 is Ctrl-C).
 */
function inTerminal(args: string[]) {
  const command = `stty cols 300 rows 60; exec ${shellLine([process.execPath, ...cliArgs(args)])}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    output: () => output,
    screen: () => terminalScreen(output, 300).filter((line) => line !== ''),
    type: (text: string) => child.stdin.write(text),
    exited,
  };
}

describe('cli transcribe progress', () => {
  let folder: string;
  const fakeMessage = /^ {2}"fake\.wav" .{40,}\.$/;
  beforeAll(() => {
    folder = join(work, 'progress-in');
    mkdirSync(folder);
    copyFileSync(speech.jfk, join(folder, 'good.wav'));
    writeFileSync(join(folder, 'fake.wav'), 'this is text, not a wav file\n'.repeat(30));
  });

  it('without a terminal: plain lines, each file ends in ✓ or ✗ (its full message on its own line), totals count files, no NaN', async () => {
    const result = await cli(['transcribe', folder, '--model', model, '--out', join(work, 'p1')]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    const failedAt = lines.findIndex((line) => /^✗ .*fake\.wav$/.test(line));
    expect(failedAt).toBeGreaterThanOrEqual(0);
    expect(lines[failedAt + 1]).toMatch(fakeMessage);
    expect(
      lines.filter((line) => /^✓ .*good\.wav( \(cached\))? → .*good\.srt$/.test(line)),
    ).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/^2 files: 1 done( \(1 from the cache\))?, 1 failed\.$/);
    // Progress as plain lines, the total counting files and never 100% before the end.
    expect(result.stderr).not.toContain('\x1b');
    expect(result.stderr).toMatch(/^good\.wav: \w+ \d+% · all files \d+%, [01]\/2 finished/m);
    expect(result.stderr).not.toMatch(/all files 100%, [01]\/2/);
    expect(result.stdout + result.stderr).not.toMatch(/NaN|Infinity|NFs/);
  }, 180_000);

  it('on a terminal: no bar is left behind, one ✓ or ✗ per file with the full message, no NaN', async () => {
    const run = inTerminal(['transcribe', folder, '--model', model, '--out', join(work, 'p2')]);
    expect(await run.exited).toBe(1);
    const screen = run.screen();
    const failedAt = screen.findIndex((line) => /^✗ .*fake\.wav$/.test(line));
    expect(failedAt, screen.join('\n')).toBeGreaterThanOrEqual(0);
    expect(screen[failedAt + 1]).toMatch(fakeMessage);
    expect(screen.filter((line) => /^✓ .*good\.wav( \(cached\))? → /.test(line))).toHaveLength(1);
    expect(screen.at(-1)).toMatch(/^2 files: 1 done( \(1 from the cache\))?, 1 failed\.$/);
    expect(screen.filter((line) => /%|queued/.test(line))).toEqual([]);
    expect(run.output()).not.toMatch(/NaN|Infinity|NFs/);
  }, 180_000);

  it('--watch on a terminal: a file that ends is printed at once (✗ with its full message), the total counts the files seen', async () => {
    const inbox = join(work, 'progress-inbox');
    mkdirSync(inbox);
    const run = inTerminal([
      'transcribe',
      '--watch',
      inbox,
      '--model',
      model,
      '--out',
      join(work, 'p3'),
    ]);
    await waitFor(() => run.output().includes('Watching'), 60_000);
    // Nothing yet: the total reads 0/0, not 100%.
    await waitFor(() => run.screen().some((line) => line.startsWith('all files')), 10_000);
    expect(run.screen().find((line) => line.startsWith('all files'))).toMatch(
      / 0% {2}0\/0 finished/,
    );
    copyFileSync(join(folder, 'fake.wav'), join(inbox, 'fake.wav'));
    await waitFor(() => run.screen().some((line) => fakeMessage.test(line)), 60_000);
    copyFileSync(join(folder, 'good.wav'), join(inbox, 'good.wav'));
    await waitFor(() => run.screen().some((line) => line.startsWith('✓ ')), 90_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const screen = run.screen();
    expect(screen[0]).toMatch(/^Watching /);
    expect(screen[1]).toMatch(/^✗ .*fake\.wav$/);
    expect(screen[2]).toMatch(fakeMessage);
    expect(screen[3]).toMatch(/^✓ .*good\.wav( \(cached\))? → .*good\.srt$/);
    // Below them only the total: no bar of a finished file stays.
    expect(screen.slice(4)).toEqual([
      expect.stringMatching(/^all files .*100% {2}2\/2 finished \(1 failed\)/),
    ]);
    run.type('\x03');
    expect(await run.exited).toBe(1);
    expect(run.screen().at(-1)).toMatch(/^2 files: 1 done( \(1 from the cache\))?, 1 failed\.$/);
    expect(run.output()).not.toMatch(/NaN|Infinity|NFs/);
  }, 240_000);
});
