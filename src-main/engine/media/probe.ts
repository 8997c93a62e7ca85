/**
 * Inspects a media file before anything expensive happens: file-system checks and the size limit
 * first (cheap, no subprocess), then ffprobe for streams and duration. Every rejection names the
 * file, says what is wrong with it and what the user can do.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { MediaProbe } from '../../contract/media';
import { formatBytes } from '../../common/format-bytes';
import { abortReason, EngineError } from '../errors';
import { runProcess, tailLines } from '../process/run-process';
import { notStarted, type FfmpegTools } from './ffmpeg-tools';

/** The API contract owns the shape so the engine and its transports cannot drift apart. */
export type { MediaProbe };

export interface MediaLimits {
  /** Longest accepted media, in seconds. @default unlimited */
  maxDurationSec?: number;
  /** Largest accepted file, in bytes. @default unlimited */
  maxBytes?: number;
}

export interface ProbeOptions {
  /** @default no limits */
  limits?: MediaLimits;
  /** Stops ffprobe (SIGTERM, then SIGKILL after the grace) and rejects with CANCELLED. */
  signal?: AbortSignal;
}

const STDERR_TAIL_LINES = 5;

/** Validates `filePath` against the limits and describes its first (or default) audio stream. */
export async function probeMedia(
  tools: FfmpegTools,
  filePath: string,
  { limits = {}, signal }: ProbeOptions = {},
): Promise<MediaProbe> {
  const file = path.resolve(filePath);
  const name = `"${path.basename(file)}"`;
  const details = { path: file };
  if (signal?.aborted) throw abortReason(signal, `Probing ${name}`);

  const sizeBytes = await checkFile(file, name);
  if (limits.maxBytes !== undefined && sizeBytes > limits.maxBytes) {
    throw new EngineError(
      'MEDIA_TOO_LARGE',
      `${name} is ${formatBytes(sizeBytes)}, more than the ${formatBytes(limits.maxBytes)} limit; compress or split it, or raise the size limit in settings.`,
      { details: { ...details, sizeBytes, maxBytes: limits.maxBytes } },
    );
  }

  if (signal?.aborted) throw abortReason(signal, `Probing ${name}`);
  const data = await runFfprobe(tools, file, name, signal);
  // ffprobe "decodes" any text file as ANSI art (the tty format); that is not media.
  if (data.format.format_name === 'tty') {
    throw new EngineError(
      'MEDIA_UNREADABLE',
      `${name} is a text file, not audio or video; choose a media file (for example WAV, MP3, M4A or MP4).`,
      { details },
    );
  }
  const audioStreams = data.streams.filter((s) => s.codec_type === 'audio');
  const audio = audioStreams.find((s) => s.disposition?.default === 1) ?? audioStreams[0];
  if (audio === undefined) {
    throw new EngineError(
      'MEDIA_NO_AUDIO',
      `${name} has no audio track, so there is nothing to transcribe; choose a file that contains sound.`,
      { details },
    );
  }

  const codec = audio.codec_name;
  const sampleRate = toNumber(audio.sample_rate);
  const channels = toNumber(audio.channels);
  if (!codec || codec === 'unknown' || !sampleRate || !channels) {
    throw new EngineError(
      'MEDIA_UNREADABLE',
      `The audio track of ${name} could not be identified (unknown codec, sample rate or channel count); convert it to MP3 or WAV and try again.`,
      { details: { ...details, codec, sampleRate, channels } },
    );
  }

  const durationSec =
    positive(toNumber(audio.duration)) ?? positive(toNumber(data.format.duration));
  if (durationSec === null) {
    throw new EngineError(
      'MEDIA_UNREADABLE',
      `The length of ${name} is unknown because neither its audio track nor its container reports a duration; remux or convert it (for example to WAV) and try again.`,
      { details },
    );
  }
  if (limits.maxDurationSec !== undefined && durationSec > limits.maxDurationSec) {
    throw new EngineError(
      'MEDIA_TOO_LONG',
      `${name} is ${formatDuration(durationSec)} long, more than the ${formatDuration(limits.maxDurationSec)} limit; split it or raise the duration limit in settings.`,
      { details: { ...details, durationSec, maxDurationSec: limits.maxDurationSec } },
    );
  }

  // Cover art in MP3/M4A shows up as a one-frame video stream; it is not video.
  const video = data.streams.find(
    (s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1,
  );
  const layout = audio.channel_layout;
  return {
    path: file,
    sizeBytes,
    durationSec,
    container: String(data.format.format_name ?? 'unknown'),
    audio: {
      index: audio.index,
      codec,
      sampleRate,
      channels,
      channelLayout: layout && layout !== 'unknown' ? layout : null,
      bitRate: positive(toNumber(audio.bit_rate)),
    },
    audioStreamCount: audioStreams.length,
    video: video ? describeVideo(video) : null,
  };
}

/** Size of a readable, non-empty regular file, or the EngineError explaining why it is not one. */
async function checkFile(file: string, name: string): Promise<number> {
  const details = { path: file };
  let info;
  try {
    info = await stat(file);
    if (info.isFile()) await access(file, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new EngineError(
        'MEDIA_NOT_FOUND',
        `No file exists at ${file}; check that it was not moved, renamed or deleted, then add it again.`,
        { cause: error, details },
      );
    }
    throw new EngineError(
      'MEDIA_UNREADABLE',
      `${file} cannot be read (${code ?? 'unknown error'}); give your user read access to it and try again.`,
      { cause: error, details },
    );
  }
  if (info.isDirectory()) {
    throw new EngineError(
      'MEDIA_UNREADABLE',
      `${file} is a folder, not a media file; choose an audio or video file instead.`,
      { details },
    );
  }
  if (!info.isFile()) {
    throw new EngineError(
      'MEDIA_UNREADABLE',
      `${file} is not a regular file (it may be a device or pipe); choose an audio or video file instead.`,
      { details },
    );
  }
  if (info.size === 0) {
    throw new EngineError(
      'MEDIA_EMPTY',
      `${name} is empty (0 bytes), probably from an interrupted download or copy; get a complete copy and try again.`,
      { details },
    );
  }
  return info.size;
}

/** The part of ffprobe's JSON that is read; numbers may come as numbers or numeric strings. */
const probeNumber = z.union([z.number(), z.string()]).optional();
const ffprobeStream = z.object({
  index: z.number().int(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  sample_rate: probeNumber,
  channels: probeNumber,
  channel_layout: z.string().optional(),
  duration: probeNumber,
  bit_rate: probeNumber,
  width: probeNumber,
  height: probeNumber,
  disposition: z.record(z.string(), z.number()).optional(),
});
const ffprobeOutput = z.object({
  streams: z.array(ffprobeStream).default([]),
  format: z.object({ format_name: z.string().optional(), duration: probeNumber }).default({}),
});
type FfprobeStream = z.infer<typeof ffprobeStream>;
type FfprobeData = z.infer<typeof ffprobeOutput>;

async function runFfprobe(
  tools: FfmpegTools,
  file: string,
  name: string,
  signal: AbortSignal | undefined,
): Promise<FfprobeData> {
  const unreadable = `${name} is not a media file ffmpeg can read (it may be damaged or in an unsupported format); convert it to a common format such as MP3, WAV or MP4 and try again.`;
  const { stdout } = await runProcess(
    tools.ffprobe,
    ['-hide_banner', '-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file],
    {
      signal,
      action: `Probing ${name}`,
      fail: (failure) =>
        notStarted('ffprobe', tools.ffprobe, failure) ?? {
          code: 'MEDIA_UNREADABLE',
          message: unreadable,
          // ffprobe's own words stay out of the message: they are for whoever reads details.
          details: { path: file, stderr: tailLines(failure.stderrTail, STDERR_TAIL_LINES) },
        },
    },
  );
  let json: unknown;
  try {
    json = JSON.parse(stdout.toString('utf8'));
  } catch (error) {
    throw new EngineError('MEDIA_UNREADABLE', unreadable, {
      cause: error,
      details: { path: file, command: 'ffprobe' },
    });
  }
  const parsed = ffprobeOutput.safeParse(json);
  if (!parsed.success) {
    throw new EngineError('MEDIA_UNREADABLE', unreadable, {
      cause: parsed.error,
      details: { path: file, command: 'ffprobe' },
    });
  }
  return parsed.data;
}

function describeVideo(stream: FfprobeStream): NonNullable<MediaProbe['video']> {
  return {
    codec: stream.codec_name ?? 'unknown',
    width: toNumber(stream.width) ?? 0,
    height: toNumber(stream.height) ?? 0,
  };
}

/** ffprobe reports numbers as numbers, numeric strings or "N/A". */
function toNumber(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

function positive(value: number | null): number | null {
  return value !== null && value > 0 ? value : null;
}

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Number((seconds % 60).toFixed(1));
  const parts = [h ? `${h} h` : '', h || m ? `${m} min` : '', s || !(h || m) ? `${s} s` : ''];
  return parts.filter((p) => p !== '').join(' ');
}
