/**
 * The oracle end to end: builds whisper-cli from node_modules' whisper.cpp (first run only:
 * about 2 minutes on 2 cores, hence the 15-minute hook timeout; later runs find the stamp
 * and skip CMake), generates the synthetic tiny.en model (cached under .cache/test-models)
 * and transcribes real recordings with it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../../errors';
import { processExists } from '../../media/__fixtures__/media-fixtures';
import {
  loggedLines,
  signalLogger,
  startedPid,
  writeNodeProgram,
} from '../../process/__fixtures__/node-program';
import { engineRejection } from '../../test-support/engine-rejection';
import { ensureTestModel, type TestModelFile } from '../test-model/make-test-model';
import { buildWhisperCli, repoRoot } from './build-whisper-cli';
import { parseTranscribeParams, type WhisperDecodeParams } from '../params';
import {
  runWhisperCli,
  whisperCliGreedyParams,
  whisperCliLoadOptions,
  whisperCliParams,
} from './whisper-cli';

const speech = join(repoRoot, 'test-data', 'fixtures', 'speech');
const jfk = join(speech, 'jfk.wav');
const goforward = join(speech, 'goforward.wav');
const librivox = join(speech, 'librivox', 'sense_and_sensibility_01_austen_64kb-0880.wav');

/** whisper-cli runs take 1–6 s each here, far more when other jobs share the 2 cores. */
const RUN_TIMEOUT = 180_000;

let binary: string;
let model: TestModelFile;

beforeAll(async () => {
  const build = await buildWhisperCli();
  binary = build.binary;
  if (build.built) {
    console.info(`whisper-cli built in ${(build.wallMs / 1000).toFixed(0)} s: ${binary}`);
  }
  model = await ensureTestModel('tiny');
}, 15 * 60_000);

describe('whisper-cli build', () => {
  it('is a no-op when up to date', async () => {
    const again = await buildWhisperCli();
    expect(again.built).toBe(false);
    expect(again.binary).toBe(binary);
    expect(again.wallMs).toBeLessThan(1000);
  });
});

describe('runWhisperCli on the synthetic tiny.en model', { timeout: RUN_TIMEOUT }, () => {
  it('loads the model and transcribes jfk.wav into finite, timed segments', async () => {
    const result = await runWhisperCli({ model: model.path, wav: jfk, threads: 2, tokens: true });
    expect(result.segments.length).toBeGreaterThan(0);
    expect(result.text.trim().length).toBeGreaterThan(0);
    expect(result.text).not.toMatch(/nan|inf/i);
    let previousStart = 0;
    for (const segment of result.segments) {
      expect(segment.t0Ms).toBeGreaterThanOrEqual(previousStart);
      expect(segment.t1Ms).toBeGreaterThanOrEqual(segment.t0Ms);
      previousStart = segment.t0Ms;
      for (const token of segment.tokens ?? []) {
        expect(Number.isFinite(token.p)).toBe(true);
        expect(token.p).toBeGreaterThanOrEqual(0);
        expect(token.p).toBeLessThanOrEqual(1);
      }
    }
    const ids = result.segments.flatMap((s) => (s.tokens ?? []).map((t) => t.id));
    // Not one token repeated: the random model still says different things.
    expect(new Set(ids).size).toBeGreaterThan(3);
    expect(result.args).toEqual(expect.arrayContaining(['-bs', '1', '-nf', '-np', '-ojf']));
    expect(result.params).toMatchObject({ threads: 2, tokenTimestamps: true, temperatureInc: 0 });
  });

  it('says different things for different recordings (the output depends on the audio)', async () => {
    const texts: string[] = [];
    for (const wav of [jfk, goforward, librivox]) {
      texts.push((await runWhisperCli({ model: model.path, wav, threads: 2 })).text);
    }
    expect(new Set(texts).size).toBe(3);
  });

  it('gives the same output for the same model, audio and parameters', async () => {
    const a = await runWhisperCli({ model: model.path, wav: goforward, threads: 2 });
    const b = await runWhisperCli({ model: model.path, wav: goforward, threads: 2 });
    expect(b.segments).toEqual(a.segments);
  });

  it('reports a missing model or audio file and a bad language clearly', async () => {
    const missing = await runWhisperCli({ model: '/nope.bin', wav: jfk, threads: 1 }).catch(
      (e: unknown) => e,
    );
    expect(isEngineError(missing, 'NOT_FOUND')).toBe(true);
    await expect(
      runWhisperCli({ model: model.path, wav: '/nope.wav', threads: 1 }),
    ).rejects.toThrow(/No file exists at \/nope\.wav/);
    await expect(
      runWhisperCli({ model: model.path, wav: jfk, threads: 1, language: 'xx' }),
    ).rejects.toThrow(/unknown language 'xx'/);
  });
});

describe('whisperCliGreedyParams', () => {
  it('describes greedy decoding without temperature fallback', () => {
    expect(whisperCliGreedyParams).toMatchObject({
      strategy: 'greedy',
      temperature: 0,
      temperatureInc: 0,
      beamSize: 1,
      bestOf: 5,
      entropyThold: 2.4,
      logprobThold: -1,
      noSpeechThold: 0.6,
      maxLen: 0,
      splitOnWord: false,
      tokenTimestamps: false,
      vad: false,
    });
    expect(whisperCliLoadOptions).toMatchObject({ flashAttn: true, dtw: false });
    const params: WhisperDecodeParams = whisperCliParams({ threads: 3, language: 'de' });
    expect(params).toMatchObject({ threads: 3, language: 'de' });
    // The addon's option parser takes it as is and changes nothing.
    const resolved = parseTranscribeParams(params, {
      languages: [{ id: 2, code: 'de', name: 'german' }],
      multilingual: true,
      audioMs: 1000,
    });
    expect(resolved).toMatchObject({ ...params, vad: null });
  });
});

describe.skipIf(process.platform === 'win32')('runWhisperCli process handling', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'whisper-cli-process-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('cancelling sends SIGTERM and leaves no process behind', async () => {
    const log = join(dir, 'hanging.log');
    const fake = await writeNodeProgram(dir, 'hanging-whisper-cli', signalLogger(log, false));
    const controller = new AbortController();
    const run = runWhisperCli({
      model: model.path,
      wav: jfk,
      threads: 1,
      binary: fake,
      signal: controller.signal,
    });
    const pid = await startedPid(log);
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(processExists(pid)).toBe(false);
    expect(await loggedLines(log)).toContain('SIGTERM');
  });

  it("a failing whisper-cli's error is an EngineError carrying its output tail", async () => {
    const fake = await writeNodeProgram(
      dir,
      'failing-whisper-cli',
      "process.stderr.write('whisper_init: failed to load model\\n'); process.exitCode = 4;",
    );
    const error = await engineRejection(
      runWhisperCli({ model: model.path, wav: jfk, threads: 1, binary: fake }),
      'TRANSCRIBE_FAILED',
    );
    expect(error.details).toMatchObject({ command: 'failing-whisper-cli', exitCode: 4 });
    expect(error.details?.stderrTail).toContain('failed to load model');
    expect(error.message).toContain('failed to load model');
  });
});
