/**
 * `studio vad` in-process through commander, on a real data folder (the shared Silero file
 * imported into it), real ffmpeg and the real addon.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../engine/create-engine';
import { EngineError } from '../../engine/errors';
import { speech, testModels } from '../../engine/whisper/__fixtures__/whisper-fixtures';
import { formatClock, registerVadCommand, regionsJson } from './vad';

const work = mkdtempSync(join(tmpdir(), 'vad-cli-'));
const dataDir = join(work, 'data');
const emptyDataDir = join(work, 'empty');
const sampleWav = resolve(
  import.meta.dirname,
  '../../../test-data/fixtures/diarization/sample.wav',
);
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

beforeAll(async () => {
  // The catalog's silero-vad-v6.2.0 entry has the shared file's checksum: importing it makes the
  // catalog model ready, as `models import` would.
  const engine = createEngine({ dataDir });
  try {
    const status = await engine.models.importFile(testModels.sileroVad);
    expect(status).toMatchObject({ id: 'silero-vad-v6.2.0', status: 'ready' });
  } finally {
    await engine.shutdown();
  }
}, 60_000);

/** Runs `studio --data-dir <dir> vad ...args` in-process and returns what it printed. */
async function vad(args: string[], dir = dataDir): Promise<string> {
  const program = new Command().exitOverride().option('--data-dir <dir>');
  registerVadCommand(program);
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  await program.parseAsync(['--data-dir', dir, 'vad', ...args], { from: 'user' });
  vi.restoreAllMocks();
  return stdout;
}

async function vadError(args: string[], dir = dataDir): Promise<EngineError> {
  const error = await vad(args, dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  vi.restoreAllMocks();
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('vad command', () => {
  it('prints the speech of jfk.wav as JSON in seconds with three decimals', async () => {
    const out = await vad([speech.jfk, '--json']);
    expect(out).toMatch(/^\[(\{"start":\d+\.\d{3},"end":\d+\.\d{3}\},?)+\]\n$/);
    const regions = JSON.parse(out) as { start: number; end: number }[];
    expect(regions.length).toBeGreaterThanOrEqual(2);
    expect(regions[0]?.start).toBeLessThan(1);
    expect(regions.at(-1)?.end).toBeGreaterThan(10);
    expect(regions.at(-1)?.end).toBeLessThanOrEqual(11);
    const speechSec = regions.reduce((sum, r) => sum + r.end - r.start, 0);
    expect(speechSec).toBeGreaterThan(6.6);
  });

  it('prints a table and the total speech time without --json', async () => {
    const out = await vad([speech.jfk]);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/#\s+START\s+END\s+LENGTH/);
    expect(lines[1]).toMatch(/^\s*1\s+0:00\.\d{3}\s+0:0\d\.\d{3}\s+\d\.\d{3} s$/);
    expect(lines.at(-1)).toMatch(
      /^\d+ speech regions, \d+\.\d{3} s of speech in 11\.000 s \(\d+\.\d%\)$/,
    );
  });

  it('analyses other containers through ffmpeg and follows the VAD options', async () => {
    const flac = join(work, 'sample.flac');
    await promisify(execFile)('ffmpeg', ['-v', 'error', '-y', '-i', sampleWav, flac]);
    const loose = JSON.parse(await vad([flac, '--json'])) as { start: number; end: number }[];
    const strict = JSON.parse(
      await vad([flac, '--json', '--threshold', '0.95', '--min-speech-ms', '2000']),
    ) as { start: number; end: number }[];
    const total = (rs: { start: number; end: number }[]) =>
      rs.reduce((sum, r) => sum + r.end - r.start, 0);
    expect(total(loose)).toBeGreaterThan(15);
    expect(total(strict)).toBeLessThan(total(loose));
    for (const r of strict) expect(r.end - r.start).toBeGreaterThanOrEqual(2);
  });

  it('tells the user how to get the VAD model when it is missing', async () => {
    const error = await vadError([speech.jfk, '--json'], emptyDataDir);
    expect(error.code).toBe('MODEL_NOT_READY');
    expect(error.message).toBe('Model "silero-vad-v6.2.0" is not installed.');
    // The CLI's error printer words the remedy from these (src-main/common/remedies.ts).
    expect(error.details).toMatchObject({ modelId: 'silero-vad-v6.2.0', fix: 'download-model' });
  });

  it('refuses a text file and a video without audio with the probe’s errors', async () => {
    const text = join(work, 'notes.txt');
    writeFileSync(text, 'These are meeting notes, not audio.\n'.repeat(20));
    expect((await vadError([text])).message).toMatch(
      /notes\.txt.* is a text file, not audio or video/,
    );

    const video = join(work, 'no-audio.mp4');
    await promisify(execFile)('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=d=1:s=64x64',
      '-pix_fmt',
      'yuv420p',
      video,
    ]);
    const noAudio = await vadError([video]);
    expect(noAudio.code).toBe('MEDIA_NO_AUDIO');
    expect((await vadError([join(work, 'nope.wav')])).message).toMatch(/no file exists at/i);
  });

  it('refuses bad option values and a model that is not a VAD model, naming them', async () => {
    expect((await vadError([speech.jfk, '--threshold', '1.5'])).message).toBe(
      '--threshold must be a probability between 0 and 1 (exclusive); got "1.5".',
    );
    expect((await vadError([speech.jfk, '--min-speech-ms', 'abc'])).message).toMatch(
      /^--min-speech-ms must be a whole number/,
    );
    const wrongKind = await vadError([speech.jfk, '--model', 'whisper-tiny']);
    expect(wrongKind.code).toBe('INVALID_ARGUMENT');
    expect(wrongKind.message).toMatch(/is a whisper model, not a voice-activity model/);
  });
});

describe('formatting', () => {
  it('formats clock times and JSON with three decimals', () => {
    expect(formatClock(0)).toBe('0:00.000');
    expect(formatClock(75.5)).toBe('1:15.500');
    expect(formatClock(3723.25)).toBe('1:02:03.250');
    expect(regionsJson([{ start: 0.32, end: 2 }])).toBe('[{"start":0.320,"end":2.000}]');
    expect(regionsJson([])).toBe('[]');
  });
});
