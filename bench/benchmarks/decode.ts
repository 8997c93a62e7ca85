/**
 * Shows that streamed decoding keeps memory bounded: 30 minutes of 48 kHz AAC is decoded once
 * chunk by chunk through `decodeAudio` and once into a single buffer with `decodeAll`, each in a
 * fresh Node process so their peak RSS figures do not pollute each other.
 *
 * This file is also the child's entry point: run with DECODE_BENCH_MODE set, it measures one mode
 * and prints the result as JSON on stdout.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeAll, decodeAudio } from '../../src-main/engine/media/decode';
import { resolveFfmpegTools } from '../../src-main/engine/media/ffmpeg-tools';
import { probeMedia } from '../../src-main/engine/media/probe';

const DURATION_MIN = 30;
/** A third as long: streamed peak RSS should not change with length, buffered should. */
const SHORT_MIN = 10;
const MODE_ENV = 'DECODE_BENCH_MODE';
const FILE_ENV = 'DECODE_BENCH_FILE';

type Mode = 'idle' | 'streamed' | 'buffered';

interface Measurement {
  samples: number;
  wallSec: number;
  peakRssMb: number;
}

/** Runs in the child: decodes `file` in `mode` and reports samples, wall time and peak RSS. */
async function measure(mode: Mode, file: string): Promise<Measurement> {
  const tools = await resolveFfmpegTools();
  const started = performance.now();
  let samples = 0;
  // Both modes read every sample so neither can skip work the other does.
  let energy = 0;
  if (mode === 'streamed') {
    for await (const chunk of decodeAudio(tools, file)) {
      samples += chunk.length;
      for (const v of chunk) energy += v * v;
    }
  } else if (mode === 'buffered') {
    const all = await decodeAll(tools, file);
    samples = all.length;
    for (const v of all) energy += v * v;
  }
  if (!Number.isFinite(energy)) throw new Error('decoded samples are not finite');
  return {
    samples,
    wallSec: (performance.now() - started) / 1000,
    // ru_maxrss, in KiB.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

function runChild(mode: Mode, file: string): Promise<Measurement> {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), fileURLToPath(import.meta.url)],
    {
      env: { ...process.env, [MODE_ENV]: mode, [FILE_ENV]: file },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => (stdout += text));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`decode bench child (${mode}) exited with ${code}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Measurement);
    });
  });
}

/**
 * Tone plus noise as mono 48 kHz AAC, long and short: one minute is encoded, then looped by
 * remuxing, which takes a second where encoding 30 minutes would take half a minute.
 */
async function generateInputs(
  ffmpeg: string,
  dir: string,
): Promise<{ long: string; short: string }> {
  const run = promisify(execFile);
  const quiet = ['-nostdin', '-v', 'error', '-y'];
  const minute = path.join(dir, 'minute.m4a');
  await run(ffmpeg, [
    ...quiet,
    ...['-f', 'lavfi', '-i', 'sine=f=440:r=48000:d=60'],
    ...['-f', 'lavfi', '-i', 'anoisesrc=r=48000:a=0.05:d=60'],
    ...['-filter_complex', 'amix=inputs=2', '-ac', '1', '-c:a', 'aac', '-b:a', '48k', minute],
  ]);
  const loop = async (minutes: number) => {
    const file = path.join(dir, `${minutes}min.m4a`);
    const repeats = String(minutes - 1);
    await run(ffmpeg, [...quiet, '-stream_loop', repeats, '-i', minute, '-c', 'copy', file]);
    return file;
  };
  const [long, short] = await Promise.all([loop(DURATION_MIN), loop(SHORT_MIN)]);
  return { long, short };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

export default {
  name: 'decode',
  description: `Peak RSS of streamed vs fully buffered decoding of ${DURATION_MIN} min of 48 kHz AAC to 16 kHz mono float`,
  async run({ json }: { json: boolean }): Promise<Record<string, unknown>> {
    const log = (line: string) => {
      if (!json) process.stderr.write(`[decode] ${line}\n`);
    };
    const tools = await resolveFfmpegTools();
    const dir = await mkdtemp(path.join(tmpdir(), 'decode-bench-'));
    try {
      log(`generating ${DURATION_MIN} and ${SHORT_MIN} min of audio`);
      const { long: file, short } = await generateInputs(tools.ffmpeg, dir);
      const { durationSec } = await probeMedia(tools, file);
      log('measuring baseline, streamed and buffered decoding, each in a fresh process');
      const idle = await runChild('idle', file);
      const streamedShort = await runChild('streamed', short);
      const streamed = await runChild('streamed', file);
      const buffered = await runChild('buffered', file);
      if (streamed.samples !== buffered.samples) {
        throw new Error(
          `sample counts differ: streamed ${streamed.samples}, buffered ${buffered.samples}`,
        );
      }
      return {
        duration_sec: round(durationSec, 2),
        samples: streamed.samples,
        baseline_rss_mb: round(idle.peakRssMb, 1),
        streamed_peak_rss_mb: round(streamed.peakRssMb, 1),
        [`streamed_peak_rss_mb_${SHORT_MIN}min`]: round(streamedShort.peakRssMb, 1),
        buffered_peak_rss_mb: round(buffered.peakRssMb, 1),
        rss_ratio: round(streamed.peakRssMb / buffered.peakRssMb, 3),
        streamed_decode_rtf: round(streamed.wallSec / durationSec, 5),
        buffered_decode_rtf: round(buffered.wallSec / durationSec, 5),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

const childMode = process.env[MODE_ENV];
if (childMode === 'idle' || childMode === 'streamed' || childMode === 'buffered') {
  const result = await measure(childMode, process.env[FILE_ENV] ?? '');
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
