import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav16kMono, speech } from '../__fixtures__/whisper-fixtures';
import { freeModel, loadModel, transcribe, type WhisperContext } from '../addon';
import { ensureTestModel } from '../test-model/make-test-model';
import {
  ensureWhisperCli,
  runWhisperCli,
  whisperCliLoadOptions,
  whisperCliParams,
} from './whisper-cli';

// The correctness oracle: whisper.cpp's own whisper-cli, built from the same source, must give the
// same text and segment times as our addon for the same model, audio and greedy parameters.
const speechDir = resolve(speech.jfk, '..');
const work = mkdtempSync(join(tmpdir(), 'studio-oracle-'));
const threads = 2;
let binary: string;
let modelPath: string;
let context: WhisperContext;
let longWav: string;

beforeAll(async () => {
  binary = await ensureWhisperCli();
  modelPath = (await ensureTestModel('tiny', 1)).path;
  context = await loadModel({ path: modelPath, ...whisperCliLoadOptions });
  // About 50 s of real speech from several speakers: two 30-second windows.
  longWav = join(work, 'long.wav');
  const parts = [
    'jfk.wav',
    'librivox/sense_and_sensibility_01_austen_64kb-0870.wav',
    'librivox/sense_and_sensibility_01_austen_64kb-0890.wav',
    'goforward.wav',
    'librivox/sense_and_sensibility_01_austen_64kb-0920.wav',
    'jfk.wav',
  ].map((part) => join(speechDir, part));
  await promisify(execFile)('sox', [...parts, longWav]);
}, 15 * 60_000);

afterAll(() => {
  if (context) freeModel(context);
  rmSync(work, { recursive: true, force: true });
});

async function both(wav: string) {
  const cli = await runWhisperCli({ binary, model: modelPath, wav, threads, language: 'en' });
  const ours = await transcribe(
    context,
    readWav16kMono(wav),
    whisperCliParams({ threads, language: 'en' }),
  );
  return {
    cli: cli.segments.map((s) => ({ t0: s.t0Ms, t1: s.t1Ms, text: s.text })),
    ours: ours.segments.map((s) => ({ t0: s.t0, t1: s.t1, text: s.text })),
  };
}

describe('addon vs whisper-cli (synthetic tiny.en, greedy, no fallback)', () => {
  it('gives identical segments for jfk.wav', async () => {
    const { cli, ours } = await both(speech.jfk);
    expect(cli.length).toBeGreaterThan(0);
    expect(cli.some((s) => s.text.trim().length > 0)).toBe(true);
    expect(ours).toEqual(cli);
  }, 180_000);

  it('gives identical segments for a 50-second concatenation', async () => {
    const { cli, ours } = await both(longWav);
    expect(cli.at(-1)!.t1).toBeGreaterThan(30_000);
    expect(ours).toEqual(cli);
  }, 300_000);
});
