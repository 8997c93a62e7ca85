/** Test helpers: the shared speech fixtures, ffmpeg-generated inputs and a child-process census. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeFailure, runProcess, type ProcessFailure } from '../../process/run-process';
import type { FfmpegTools } from '../ffmpeg-tools';

/** Test setup failed: say what ran and how it ended (stderr tail in the details). */
const setupFailed = (failure: ProcessFailure) => ({
  code: 'INVALID_ARGUMENT' as const,
  message: `Test setup: ${describeFailure(failure)}: ${failure.stderrTail}`,
});

const speechDir = path.resolve(import.meta.dirname, '../../../../test-data/fixtures/speech');

export const speech = {
  /** 11.0 s, 16 kHz mono PCM. */
  jfk: path.join(speechDir, 'jfk.wav'),
  /** 8.54 s, 44.1 kHz stereo MP3. */
  french: path.join(speechDir, 'multilingual/whisper-french.mp3'),
  /** 5.0 s, 16 kHz two-channel PCM, one speaker per channel. */
  stereo: path.join(speechDir, 'multilingual/stereo_diarization.wav'),
};

/** Runs ffmpeg quietly with `args`, overwriting outputs; rejects on failure. */
export async function ffmpegRun(tools: FfmpegTools, args: string[]): Promise<void> {
  await runProcess(tools.ffmpeg, ['-nostdin', '-v', 'error', '-y', ...args], {
    stdout: 'ignore',
    fail: setupFailed,
  });
}

/** Runs ffmpeg with output `pipe:1` somewhere in `args` and returns what it wrote there. */
export async function ffmpegPipe(tools: FfmpegTools, args: string[]): Promise<Buffer> {
  const { stdout } = await runProcess(tools.ffmpeg, ['-nostdin', '-v', 'error', ...args], {
    maxStdoutBytes: 64 * 1024 * 1024,
    fail: setupFailed,
  });
  return stdout;
}

export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'media-test-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** ffmpeg processes whose parent is this process, zombies included (`ps` state Z). */
export async function ffmpegChildren(): Promise<{ pid: number; state: string }[]> {
  const { stdout } = await runProcess('ps', ['-A', '-o', 'pid=,ppid=,stat=,comm='], {
    fail: setupFailed,
  });
  return stdout
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, ppid, , comm]) => Number(ppid) === process.pid && comm === 'ffmpeg')
    .map(([pid, , state]) => ({ pid: Number(pid), state: state ?? '' }));
}

/** Whether `pid` exists, zombies included; synchronous, so it sees the state at the call. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

export function peakAbs(samples: Float32Array): number {
  let peak = 0;
  for (const s of samples) peak = Math.max(peak, Math.abs(s));
  return peak;
}

/**
 * `speech.jfk` played `times` times in a row into `out` (16 kHz mono WAV): long speech for tests
 * that must act while a job is still in one of its stages.
 */
export async function loopedSpeech(out: string, times: number): Promise<string> {
  await runProcess(
    'ffmpeg',
    [
      ...['-nostdin', '-v', 'error', '-y', '-stream_loop', String(times - 1)],
      ...['-i', speech.jfk, '-ac', '1', '-ar', '16000', out],
    ],
    { stdout: 'ignore', fail: setupFailed },
  );
  return out;
}
