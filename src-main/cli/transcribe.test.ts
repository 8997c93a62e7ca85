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
    expect(result.stdout).toMatch(/✗ .*broken\.wav: .+/);
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
    expect(missing.stderr).toMatch(/"whisper-enormous" is neither a model id .* nor a model file/);
  }, 60_000);

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
