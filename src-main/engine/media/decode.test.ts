import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import {
  ffmpegChildren,
  ffmpegRun,
  peakAbs,
  processExists,
  rms,
  speech,
  tempDir,
} from './__fixtures__/media-fixtures';
import { decodeAll, decodeAudio, type DecodeOptions } from './decode';
import { resolveFfmpegTools, type FfmpegTools } from './ffmpeg-tools';
import { DEFAULT_GRACE_MS } from '../process/run-process';
import {
  loggedLines,
  signalLogger,
  startedPid,
  writeNodeProgram,
} from '../process/__fixtures__/node-program';

const RATE = 16000;
const JFK_SAMPLES = 11 * RATE;

let tools: FfmpegTools;
let dir: string;
let remove: () => Promise<void>;
const input = (name: string) => path.join(dir, name);

beforeAll(async () => {
  tools = await resolveFfmpegTools();
  ({ dir, remove } = await tempDir());
  const lavfi = (source: string) => ['-f', 'lavfi', '-i', source];
  await Promise.all([
    ffmpegRun(tools, [...lavfi('anullsrc=r=44100:cl=stereo'), '-t', '2', input('silence.wav')]),
    // Left channel: a 440 Hz tone at 1/8 full scale (RMS 0.088); right channel: silence.
    ffmpegRun(tools, [
      ...lavfi('sine=f=440:r=16000:d=1'),
      ...lavfi('anullsrc=r=16000:cl=mono'),
      '-filter_complex',
      '[0][1]amerge=inputs=2[out]',
      '-map',
      '[out]',
      '-t',
      '1',
      input('left-only.wav'),
    ]),
    // Decodes in well under a second but yields 7.7 MB of samples: far more than pipe buffers.
    ffmpegRun(tools, [...lavfi('sine=f=300:r=16000:d=120'), '-c:a', 'flac', input('long.flac')]),
    writeFile(
      input('random.wav'),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)),
    ),
  ]);
});
afterAll(() => remove());

async function collect(
  file: string,
  options: DecodeOptions = {},
  using: FfmpegTools = tools,
): Promise<Float32Array[]> {
  const chunks: Float32Array[] = [];
  for await (const chunk of decodeAudio(using, file, options)) chunks.push(chunk);
  return chunks;
}

async function decodeError(
  file: string,
  options: DecodeOptions = {},
  using: FfmpegTools = tools,
): Promise<EngineError> {
  const error = await collect(file, options, using).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('decodeAudio', () => {
  it('decodes 11 s of 16 kHz speech to 176000 non-silent samples', async () => {
    const samples = await decodeAll(tools, speech.jfk);
    expect(samples.length).toBe(JFK_SAMPLES);
    expect(rms(samples)).toBeGreaterThan(0.01);
    expect(peakAbs(samples)).toBeLessThanOrEqual(1);
  });

  it('yields chunks of exactly chunkSamples, the last one shorter, in order', async () => {
    const chunks = await collect(speech.jfk, { chunkSamples: 7777 });
    const whole = await decodeAll(tools, speech.jfk);
    expect(chunks.slice(0, -1).every((c) => c.length === 7777)).toBe(true);
    expect(chunks.at(-1)?.length).toBe(JFK_SAMPLES % 7777);
    const joined = new Float32Array(JFK_SAMPLES);
    chunks.forEach((c, i) => joined.set(c, i * 7777));
    expect(joined).toEqual(whole);
  });

  it('hands out a fresh array per chunk', async () => {
    const chunks = await collect(speech.jfk, { chunkSamples: 16000 });
    expect(chunks).toHaveLength(11);
    expect(new Set(chunks.map((c) => c.buffer)).size).toBe(11);
  });

  it('decodes silence to zeros, resampled and downmixed', async () => {
    const samples = await decodeAll(tools, input('silence.wav'));
    expect(samples.length).toBe(2 * RATE);
    expect(peakAbs(samples)).toBeLessThan(1e-6);
  });

  it('resamples 44.1 kHz stereo MP3 to 16 kHz mono', async () => {
    const samples = await decodeAll(tools, speech.french);
    // ffprobe reports 8.542 s including the encoder padding that decoding trims.
    expect(Math.abs(samples.length - 8.542 * RATE)).toBeLessThan(0.05 * RATE);
    expect(rms(samples)).toBeGreaterThan(0.01);
  });

  it('decodes only the startSec/durationSec window', async () => {
    const whole = await decodeAll(tools, speech.jfk);
    const window = await decodeAll(tools, speech.jfk, { startSec: 2, durationSec: 3 });
    expect(window.length).toBe(3 * RATE);
    const expected = whole.subarray(2 * RATE, 5 * RATE);
    expect(peakAbs(window.map((v, i) => v - (expected[i] ?? 0)))).toBeLessThan(1e-6);

    const tail = await decodeAll(tools, speech.jfk, { startSec: 10 });
    expect(tail.length).toBe(RATE);
  });

  it('selects one channel instead of downmixing', async () => {
    const left = await decodeAll(tools, input('left-only.wav'), { channel: 0 });
    const right = await decodeAll(tools, input('left-only.wav'), { channel: 1 });
    const mix = await decodeAll(tools, input('left-only.wav'));
    expect(left.length).toBe(RATE);
    expect(rms(left)).toBeCloseTo(0.125 / Math.SQRT2, 2);
    expect(rms(right)).toBeLessThan(1e-6);
    expect(rms(mix)).toBeGreaterThan(0.01);
    expect(rms(mix)).toBeLessThan(rms(left));

    const speakerA = await decodeAll(tools, speech.stereo, { channel: 0 });
    const speakerB = await decodeAll(tools, speech.stereo, { channel: 1 });
    expect(speakerA.length).toBe(5 * RATE);
    expect(speakerA).not.toEqual(speakerB);
  });

  it('fails with DECODE_FAILED for a channel the file does not have', async () => {
    const error = await decodeError(speech.stereo, { channel: 2 });
    expect(error.code).toBe('DECODE_FAILED');
    expect(error.message).toContain('has a channel 2');
  });

  it('fails with DECODE_FAILED for corrupt data, stderr kept in details', async () => {
    const error = await decodeError(input('random.wav'));
    expect(error.code).toBe('DECODE_FAILED');
    expect(error.message).toMatch(/^ffmpeg could not decode the audio of "random.wav"/);
    const stderr = error.details?.stderr as string[];
    expect(stderr.join('\n')).toContain('Invalid data');
    expect(error.message).not.toContain('Invalid data');
    expect(error.details?.exitCode).not.toBe(0);
    expect(error.details?.stderrTail).toContain('Invalid data');
    expect(error.details?.command).toBe('ffmpeg');
  });

  it('rejects malformed options with INVALID_ARGUMENT', async () => {
    for (const options of [
      { chunkSamples: 0 },
      { chunkSamples: 1.5 },
      { startSec: -1 },
      { durationSec: 0 },
      { channel: -1 },
      { streamIndex: Number.NaN },
    ]) {
      expect((await decodeError(speech.jfk, options)).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('reports FFMPEG_NOT_FOUND when the ffmpeg binary has gone', async () => {
    const gone = { ...tools, ffmpeg: input('no-ffmpeg-here') };
    const error = await decodeError(speech.jfk, {}, gone);
    expect(error.code).toBe('FFMPEG_NOT_FOUND');
  });
});

describe.skipIf(process.platform === 'win32')('decodeAudio process lifecycle', () => {
  const long = () => input('long.flac');

  it('applies backpressure: ffmpeg waits while the consumer does', async () => {
    const iterator = decodeAudio(tools, long(), { chunkSamples: RATE })[Symbol.asyncIterator]();
    await iterator.next();
    await sleep(500);
    // Unthrottled, ffmpeg would have written all 120 s and exited long ago.
    const children = await ffmpegChildren();
    expect(children).toHaveLength(1);
    expect(children[0]?.state).not.toMatch(/^Z/);
    await iterator.return?.();
  });

  /** The pid of the one ffmpeg this process is running now. */
  async function runningFfmpeg(): Promise<number> {
    const children = await ffmpegChildren();
    expect(children).toHaveLength(1);
    return children[0]?.pid ?? -1;
  }

  it('kills and reaps ffmpeg when the consumer breaks early', async () => {
    let pid = -1;
    for await (const chunk of decodeAudio(tools, long(), { chunkSamples: RATE })) {
      expect(chunk.length).toBe(RATE);
      pid = await runningFfmpeg();
      break;
    }
    // Checked synchronously: the loop must not end before ffmpeg is dead and reaped (no zombie).
    expect(processExists(pid)).toBe(false);
    expect(await ffmpegChildren()).toEqual([]);
  });

  it('leaving early after ffmpeg has exited does not wait for the output nobody reads', async () => {
    // 1 s of samples (64 KB) fits the pipe: ffmpeg writes all of it and exits at once.
    const iterator = decodeAudio(tools, input('left-only.wav'), { chunkSamples: 1000 })[
      Symbol.asyncIterator
    ]();
    await iterator.next();
    for (let waited = 0; (await ffmpegChildren()).length > 0 && waited < 5000; waited += 50) {
      await sleep(50);
    }
    const left = await Promise.race([iterator.return?.().then(() => 'returned'), sleep(3000)]);
    expect(left).toBe('returned');
  });

  it('aborting mid-stream rejects with CANCELLED and leaves no ffmpeg behind', async () => {
    const controller = new AbortController();
    let chunks = 0;
    let pid = -1;
    const consume = async () => {
      for await (const chunk of decodeAudio(tools, long(), {
        chunkSamples: RATE,
        signal: controller.signal,
      })) {
        expect(chunk.length).toBe(RATE);
        chunks += 1;
        if (chunks === 2) {
          pid = await runningFfmpeg();
          controller.abort();
        }
      }
    };
    const error = await consume().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(processExists(pid)).toBe(false);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(chunks).toBe(2);
    expect(await ffmpegChildren()).toEqual([]);
  });

  it('aborting while the consumer is idle kills ffmpeg at once', async () => {
    const controller = new AbortController();
    const iterator = decodeAudio(tools, long(), {
      chunkSamples: RATE,
      signal: controller.signal,
    })[Symbol.asyncIterator]();
    await iterator.next();
    const pid = await runningFfmpeg();
    controller.abort();
    // SIGKILLed on abort, without waiting for the consumer to pull again.
    for (let waited = 0; processExists(pid) && waited < 2000; waited += 20) await sleep(20);
    expect(processExists(pid)).toBe(false);
    await expect(iterator.next()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await ffmpegChildren()).toEqual([]);
  });

  /**
   * An "ffmpeg" that writes two chunks of silence, logs the signals it gets and, with
   * `ignoreTerm`, survives SIGTERM.
   */
  async function fakeFfmpeg(name: string, ignoreTerm: boolean) {
    const log = input(`${name}.log`);
    const ffmpeg = await writeNodeProgram(
      dir,
      name,
      `${signalLogger(log, ignoreTerm)}\nprocess.stdout.write(Buffer.alloc(${RATE * 4 * 2}));`,
    );
    return { fake: { ...tools, ffmpeg }, log };
  }

  it('cancelling sends SIGTERM first, and ffmpeg is gone within the grace period', async () => {
    const { fake, log } = await fakeFfmpeg('polite-ffmpeg', false);
    const controller = new AbortController();
    const iterator = decodeAudio(fake, speech.jfk, {
      chunkSamples: RATE,
      signal: controller.signal,
    })[Symbol.asyncIterator]();
    await iterator.next();
    const pid = await startedPid(log);
    const began = performance.now();
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - began).toBeLessThan(DEFAULT_GRACE_MS);
    expect(processExists(pid)).toBe(false);
    expect(await loggedLines(log)).toContain('SIGTERM');
  });

  it('an ffmpeg that ignores SIGTERM is SIGKILLed after the grace period', async () => {
    const { fake, log } = await fakeFfmpeg('stubborn-ffmpeg', true);
    const controller = new AbortController();
    const iterator = decodeAudio(fake, speech.jfk, {
      chunkSamples: RATE,
      signal: controller.signal,
    })[Symbol.asyncIterator]();
    await iterator.next();
    const pid = await startedPid(log);
    const began = performance.now();
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'CANCELLED' });
    const took = performance.now() - began;
    expect(took).toBeGreaterThanOrEqual(DEFAULT_GRACE_MS - 50);
    expect(took).toBeLessThan(DEFAULT_GRACE_MS + 2000);
    expect(processExists(pid)).toBe(false);
    expect(await loggedLines(log)).toContain('SIGTERM');
  });

  it('two engines with different ffmpeg binaries in one process each run their own', async () => {
    const { fake, log } = await fakeFfmpeg('other-ffmpeg', false);
    const [real, other] = await Promise.all([
      collect(speech.jfk, { chunkSamples: RATE }, tools),
      (async () => {
        const chunks: Float32Array[] = [];
        for await (const chunk of decodeAudio(fake, speech.jfk, { chunkSamples: RATE })) {
          chunks.push(chunk);
          if (chunks.length === 2) break;
        }
        return chunks;
      })(),
    ]);
    expect(real.reduce((n, c) => n + c.length, 0)).toBe(JFK_SAMPLES);
    expect(other.map((c) => [c.length, peakAbs(c)])).toEqual([
      [RATE, 0],
      [RATE, 0],
    ]);
    expect((await loggedLines(log)).filter((l) => l.startsWith('started'))).toHaveLength(1);
  });

  it('does not spawn ffmpeg for an already aborted signal', async () => {
    const error = await decodeError(long(), { signal: AbortSignal.abort() });
    expect(error.code).toBe('CANCELLED');
  });
});

describe('decodeAll', () => {
  it('matches the concatenated stream', async () => {
    const chunks = await collect(speech.french, { chunkSamples: 1000 });
    const all = await decodeAll(tools, speech.french);
    expect(all.length).toBe(chunks.reduce((n, c) => n + c.length, 0));
    expect(all.subarray(5000, 6000)).toEqual(chunks[5]);
    // The raw PCM samples of jfk survive unchanged apart from int16 → float scaling.
    const pcm = await readFile(speech.jfk);
    const jfk = await decodeAll(tools, speech.jfk);
    const data = pcm.indexOf('data') + 8;
    for (const i of [20000, 90000, 170000]) {
      expect(jfk[i]).toBeCloseTo(pcm.readInt16LE(data + 2 * i) / 32768, 6);
    }
  });
});
