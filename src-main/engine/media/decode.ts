/**
 * Streams a file's audio as 16 kHz mono float samples decoded by ffmpeg. Memory stays bounded for
 * any length: samples are read from ffmpeg's stdout only as fast as the consumer pulls chunks, so
 * a slow consumer fills the pipe and ffmpeg blocks instead of the process buffering the file.
 */
import { endianness } from 'node:os';
import path from 'node:path';
import { abortReason, EngineError } from '../errors';
import { startProcess, tailLines } from '../process/run-process';
import { notStarted, type FfmpegTools } from './ffmpeg-tools';

export const DECODE_SAMPLE_RATE = 16_000;

export interface DecodeOptions {
  /**
   * Stops ffmpeg (SIGTERM, then SIGKILL after the grace period); the iterator then throws the
   * abort reason (CANCELLED).
   */
  signal?: AbortSignal;
  /** Samples per yielded chunk; only the last chunk may be shorter. @default 480000 (30 s) */
  chunkSamples?: number;
  /** Where decoding starts, in seconds. @default 0 */
  startSec?: number;
  /** How many seconds to decode. @default everything after `startSec` */
  durationSec?: number;
  /** Keep only this 0-based input channel instead of downmixing (per-channel diarization). @default downmix */
  channel?: number;
  /** Absolute stream index to decode; pass `MediaProbe.audio.index`. @default the first audio stream */
  streamIndex?: number;
}

const BYTES_PER_SAMPLE = 4;
const STDERR_TAIL_LINES = 5;
// Float32Array views use the host byte order, so ask ffmpeg for exactly that.
const SAMPLE_FORMAT = endianness() === 'LE' ? 'f32le' : 'f32be';

/**
 * Yields fresh Float32Arrays of exactly `chunkSamples` samples (the last one shorter). Nothing is
 * spawned until the first chunk is requested; leaving the loop early kills ffmpeg and reaps it.
 * Does not validate the file: run `probeMedia` first for friendly errors.
 */
export async function* decodeAudio(
  tools: FfmpegTools,
  filePath: string,
  options: DecodeOptions = {},
): AsyncIterable<Float32Array> {
  const { signal, chunkSamples = DECODE_SAMPLE_RATE * 30 } = options;
  checkOptions(options, chunkSamples);
  const file = path.resolve(filePath);
  const name = `"${path.basename(file)}"`;
  const what = `Decoding ${name}`;
  if (signal?.aborted) throw abortReason(signal, what);

  const channelHint =
    options.channel === undefined ? '' : ` and check that it has a channel ${options.channel}`;
  const ffmpeg = startProcess(tools.ffmpeg, ffmpegArgs(file, options), {
    signal,
    action: what,
    fail: (failure) =>
      notStarted('ffmpeg', tools.ffmpeg, failure) ?? {
        code: 'DECODE_FAILED',
        message: `ffmpeg could not decode the audio of ${name}; it may be damaged or use an unsupported codec, so try converting it to WAV or MP3${channelHint}.`,
        details: { path: file, stderr: tailLines(failure.stderrTail, STDERR_TAIL_LINES) },
      },
  });

  try {
    let chunk = new Float32Array(chunkSamples);
    let bytes = new Uint8Array(chunk.buffer);
    let filled = 0;
    try {
      // Pipe reads split samples at arbitrary byte offsets, so copy bytes, not floats.
      for await (const data of ffmpeg.stdout as AsyncIterable<Buffer>) {
        let offset = 0;
        while (offset < data.length) {
          if (signal?.aborted) throw abortReason(signal, what);
          const n = Math.min(bytes.length - filled, data.length - offset);
          bytes.set(data.subarray(offset, offset + n), filled);
          filled += n;
          offset += n;
          if (filled === bytes.length) {
            yield chunk;
            chunk = new Float32Array(chunkSamples);
            bytes = new Uint8Array(chunk.buffer);
            filled = 0;
          }
        }
      }
    } catch (error) {
      // A cancel closes the pipe under the loop: report the cancel, not the closed pipe.
      if (signal?.aborted) throw abortReason(signal, what);
      throw error;
    }
    // Rejects with the abort reason, FFMPEG_NOT_FOUND or DECODE_FAILED.
    await ffmpeg.done;
    const rest = Math.floor(filled / BYTES_PER_SAMPLE);
    if (rest > 0) yield chunk.slice(0, rest);
  } finally {
    // Leaving early (break, an error, a cancel): SIGTERM, SIGKILL after the grace; wait until reaped.
    await ffmpeg.stop();
  }
}

/**
 * Decodes everything into one array. For short media only (tests, previews): the result takes
 * 64 KB per second of audio, about 690 MB for three hours. Use `decodeAudio` for real work.
 */
export async function decodeAll(
  tools: FfmpegTools,
  filePath: string,
  options: Omit<DecodeOptions, 'chunkSamples'> = {},
): Promise<Float32Array> {
  const chunks: Float32Array[] = [];
  let total = 0;
  for await (const chunk of decodeAudio(tools, filePath, options)) {
    chunks.push(chunk);
    total += chunk.length;
  }
  const all = new Float32Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}

function ffmpegArgs(file: string, options: DecodeOptions): string[] {
  const { startSec, durationSec, channel, streamIndex } = options;
  return [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    // Before -i: seek in the input rather than decode and discard everything up to startSec.
    ...(startSec ? ['-ss', startSec.toFixed(6)] : []),
    '-i',
    file,
    '-map',
    streamIndex === undefined ? '0:a:0' : `0:${streamIndex}`,
    ...(durationSec === undefined ? [] : ['-t', durationSec.toFixed(6)]),
    // channelmap (unlike pan) fails when the channel does not exist instead of emitting silence.
    ...(channel === undefined ? [] : ['-af', `channelmap=map=${channel}:channel_layout=mono`]),
    '-ac',
    '1',
    '-ar',
    String(DECODE_SAMPLE_RATE),
    '-f',
    SAMPLE_FORMAT,
    'pipe:1',
  ];
}

function checkOptions(options: DecodeOptions, chunkSamples: number): void {
  const problems = [
    Number.isInteger(chunkSamples) && chunkSamples > 0
      ? ''
      : 'chunkSamples must be a positive integer',
    isNonNegative(options.startSec) ? '' : 'startSec must be a finite number ≥ 0',
    options.durationSec === undefined ||
    (Number.isFinite(options.durationSec) && options.durationSec > 0)
      ? ''
      : 'durationSec must be a finite number > 0',
    isIndex(options.channel) ? '' : 'channel must be an integer ≥ 0',
    isIndex(options.streamIndex) ? '' : 'streamIndex must be an integer ≥ 0',
  ].filter((p) => p !== '');
  if (problems.length > 0) {
    throw new EngineError('INVALID_ARGUMENT', `Invalid decode options: ${problems.join('; ')}.`, {
      details: { problems },
    });
  }
}

function isNonNegative(value: number | undefined): boolean {
  return value === undefined || (Number.isFinite(value) && value >= 0);
}

function isIndex(value: number | undefined): boolean {
  return value === undefined || (Number.isInteger(value) && value >= 0);
}
