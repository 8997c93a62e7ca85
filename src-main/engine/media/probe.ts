/**
 * Inspects a media file before anything expensive happens: file-system checks and the size limit
 * first (cheap, no subprocess), then ffprobe for streams and duration, and a check that the audio
 * really lasts as long as the header says (see `checkedDuration`). Every rejection names the
 * file, says what is wrong with it and what the user can do.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { MediaProbe } from '../../contract/media';
import { formatBytes } from '../../common/format-bytes';
import { abortReason, EngineError, isEngineError } from '../errors';
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
  const { data, estimated } = await runFfprobe(tools, file, name, signal);
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

  const headerSec = positive(toNumber(audio.duration)) ?? positive(toNumber(data.format.duration));
  if (headerSec === null) {
    throw new EngineError(
      'MEDIA_UNREADABLE',
      `The length of ${name} is unknown because neither its audio track nor its container reports a duration; remux or convert it (for example to WAV) and try again.`,
      { details },
    );
  }
  const track = {
    index: audio.index,
    startSec: toNumber(audio.start_time) ?? toNumber(data.format.start_time) ?? 0,
  };
  const durationSec = await checkedDuration(tools, file, name, track, headerSec, estimated, signal);
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
  start_time: probeNumber,
  bit_rate: probeNumber,
  width: probeNumber,
  height: probeNumber,
  disposition: z.record(z.string(), z.number()).optional(),
});
const ffprobeOutput = z.object({
  streams: z.array(ffprobeStream).default([]),
  format: z
    .object({ format_name: z.string().optional(), duration: probeNumber, start_time: probeNumber })
    .default({}),
});
type FfprobeStream = z.infer<typeof ffprobeStream>;
type FfprobeData = z.infer<typeof ffprobeOutput>;

/**
 * ffprobe's description of `file`, and whether ffmpeg said that it estimated the duration from
 * the bitrate (a header without a length: the figure is a guess).
 */
async function runFfprobe(
  tools: FfmpegTools,
  file: string,
  name: string,
  signal: AbortSignal | undefined,
): Promise<{ data: FfprobeData; estimated: boolean }> {
  const unreadable = `${name} is not a media file ffmpeg can read (it may be damaged or in an unsupported format); convert it to a common format such as MP3, WAV or MP4 and try again.`;
  const { stdout, stderrTail } = await runProcess(
    tools.ffprobe,
    // Warnings too: the one that says the duration was estimated from the bitrate.
    [
      '-hide_banner',
      '-v',
      'warning',
      '-print_format',
      'json',
      '-show_streams',
      '-show_format',
      file,
    ],
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
  return { data: parsed.data, estimated: /estimating duration from bitrate/i.test(stderrTail) };
}

/** How far the header's length may lie from the end of the last packets without a scan. */
const LENGTH_TOLERANCE_SEC = 0.5;
/** The tail check reads the packets from this long before the header's end. */
const TAIL_SEC = 2;

/**
 * The length of the audio track: the header's figure when the packets really end there, else
 * (a truncated file whose header promises more, or a length ffmpeg only estimated from the
 * bitrate) the end of the packets found by reading the whole track without decoding it (about
 * 1.5 s for a three-hour MP3, in ffmpeg, off the event loop). Checking costs one short ffprobe
 * that seeks near the end.
 */
async function checkedDuration(
  tools: FfmpegTools,
  file: string,
  name: string,
  track: { index: number; startSec: number },
  headerSec: number,
  estimated: boolean,
  signal: AbortSignal | undefined,
): Promise<number> {
  if (!estimated) {
    const end = await packetsEnd(tools, file, track, headerSec, signal);
    if (end !== null && Math.abs(end - headerSec) <= LENGTH_TOLERANCE_SEC) return headerSec;
  }
  return scanDuration(tools, file, name, track.index, signal);
}

const ffprobePackets = z.object({
  packets: z.array(z.object({ pts_time: probeNumber, duration_time: probeNumber })).default([]),
});

/**
 * Where the track's packets end (seconds from its start), reading those after a seek to shortly
 * before `headerSec`; null when none are there (the file ends earlier) or ffprobe fails.
 */
async function packetsEnd(
  tools: FfmpegTools,
  file: string,
  track: { index: number; startSec: number },
  headerSec: number,
  signal: AbortSignal | undefined,
): Promise<number | null> {
  const from = Math.max(0, track.startSec + headerSec - TAIL_SEC);
  let stdout: Buffer;
  try {
    ({ stdout } = await runProcess(
      tools.ffprobe,
      [
        ...['-hide_banner', '-v', 'error', '-select_streams', String(track.index)],
        ...['-read_intervals', `${from.toFixed(3)}%+${TAIL_SEC + 10}`],
        ...['-show_entries', 'packet=pts_time,duration_time', '-print_format', 'json', file],
      ],
      {
        signal,
        action: `Probing "${path.basename(file)}"`,
        maxStdoutBytes: 4 * 1024 * 1024,
        fail: () => ({ code: 'MEDIA_UNREADABLE', message: 'The tail check failed.' }),
      },
    ));
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal, `Probing "${path.basename(file)}"`);
    // Whatever went wrong, the scan decides.
    if (isEngineError(error, 'MEDIA_UNREADABLE')) return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(stdout.toString('utf8'));
  } catch {
    return null;
  }
  const packets = ffprobePackets.safeParse(json).data?.packets ?? [];
  let end: number | null = null;
  for (const packet of packets) {
    const at = toNumber(packet.pts_time);
    if (at === null) continue;
    const packetEnd = at + (toNumber(packet.duration_time) ?? 0) - track.startSec;
    end = end === null ? packetEnd : Math.max(end, packetEnd);
  }
  return end;
}

/**
 * The length of the track measured by copying all its packets to nowhere (no decoding): where
 * the output's time ends. MEDIA_UNREADABLE when no packet can be read at all.
 */
async function scanDuration(
  tools: FfmpegTools,
  file: string,
  name: string,
  streamIndex: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  const unreadable = `No audio can be read from ${name} (it may be damaged or cut short); get a complete copy of the file or convert it to WAV or MP3, and try again.`;
  const { stdout } = await runProcess(
    tools.ffmpeg,
    [
      ...['-nostdin', '-hide_banner', '-v', 'error', '-i', file, '-map', `0:${streamIndex}`],
      ...['-c', 'copy', '-f', 'null', '-progress', 'pipe:1', '-nostats', '-'],
    ],
    {
      signal,
      action: `Measuring the length of ${name}`,
      fail: (failure) =>
        notStarted('ffmpeg', tools.ffmpeg, failure) ?? {
          code: 'MEDIA_UNREADABLE',
          message: unreadable,
          details: { path: file, stderr: tailLines(failure.stderrTail, STDERR_TAIL_LINES) },
        },
    },
  );
  // -progress writes key=value blocks; the last out_time_us is where the copied packets end.
  const times = [...stdout.toString('utf8').matchAll(/^out_time_us=(\d+)$/gm)];
  const last = times.at(-1)?.[1];
  const seconds = last === undefined ? 0 : Number(last) / 1e6;
  if (!(seconds > 0)) {
    throw new EngineError('MEDIA_UNREADABLE', unreadable, { details: { path: file } });
  }
  return seconds;
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
