import { chmod, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors';
import { ffmpegPipe, ffmpegRun, speech, tempDir } from './__fixtures__/media-fixtures';
import { resolveFfmpegTools, type FfmpegTools } from './ffmpeg-tools';
import { eventLoopGaps } from '../whisper/__fixtures__/whisper-fixtures';
import { decodeAll, DECODE_SAMPLE_RATE } from './decode';
import { probeMedia, type ProbeOptions } from './probe';
import { engineRejection } from '../test-support/engine-rejection';
import { processExists } from './__fixtures__/media-fixtures';
import {
  loggedLines,
  signalLogger,
  startedPid,
  writeNodeProgram,
} from '../process/__fixtures__/node-program';

let tools: FfmpegTools;
let dir: string;
let remove: () => Promise<void>;
const input = (name: string) => path.join(dir, name);

beforeAll(async () => {
  tools = await resolveFfmpegTools();
  ({ dir, remove } = await tempDir());
  const lavfi = (source: string) => ['-f', 'lavfi', '-i', source];
  await Promise.all([
    ffmpegRun(tools, [
      ...lavfi('testsrc=d=1:s=160x120'),
      '-c:v',
      'mpeg4',
      input('silent-video.mp4'),
    ]),
    ffmpegRun(tools, [
      ...lavfi('testsrc=d=1:s=320x240'),
      ...lavfi('sine=d=1:r=22050'),
      '-c:v',
      'mpeg4',
      '-c:a',
      'aac',
      input('video.mp4'),
    ]),
    // Two audio tracks; the second is marked default and must win.
    ffmpegRun(tools, [
      ...lavfi('sine=d=1:r=8000'),
      ...lavfi('sine=d=1:r=24000'),
      '-map',
      '0',
      '-map',
      '1',
      '-c:a',
      'pcm_s16le',
      '-disposition:a:0',
      '0',
      '-disposition:a:1',
      'default',
      input('two-tracks.mkv'),
    ]),
    // Streamed NUT leaves the stream duration unknown, but ffprobe estimates the container's.
    ffmpegPipe(tools, [...lavfi('sine=d=2:r=16000'), '-f', 'nut', 'pipe:1']).then((nut) =>
      writeFile(input('stream-duration-unknown.nut'), nut),
    ),
    // Live Matroska streamed to a pipe records no duration anywhere.
    ffmpegPipe(tools, [
      ...lavfi('sine=d=2:r=16000'),
      '-c:a',
      'flac',
      '-f',
      'matroska',
      '-live',
      '1',
      'pipe:1',
    ]).then((mkv) => writeFile(input('no-duration.mkv'), mkv)),
    writeFile(input('notes.txt'), 'These are meeting notes, not audio.\n'),
    writeFile(input('long-notes.txt'), 'Minutes of the meeting, item by item.\n'.repeat(40)),
    writeFile(input('empty.wav'), ''),
    writeFile(
      input('random.wav'),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)),
    ),
    readFile(speech.french).then((mp3) => writeFile(input('truncated.mp3'), mp3.subarray(0, 200))),
    mkdir(input('folder.mp3')),
    ...cutFiles.map(async ([name, encode]) => {
      await ffmpegRun(tools, [...lavfi('sine=frequency=440:d=60:r=44100'), ...encode, input(name)]);
      const whole = await readFile(input(name));
      await writeFile(input(`half-${name}`), whole.subarray(0, Math.floor(whole.length / 2)));
    }),
  ]);
});

/**
 * 60 s of sine encoded, then cut to the first half of its bytes: the header still promises
 * 60 s (a LAME Info/Xing frame count for MP3, STREAMINFO's sample count for FLAC, the moov
 * sample tables of a fast-start M4A) while only about 30 s can be decoded.
 */
const cutFiles: [string, string[]][] = [
  ['cbr.mp3', ['-c:a', 'libmp3lame', '-b:a', '128k']],
  ['vbr.mp3', ['-c:a', 'libmp3lame', '-q:a', '4']],
  // No Xing frame: ffmpeg estimates the length of a VBR file from its first frame's bitrate.
  ['vbr-no-xing.mp3', ['-c:a', 'libmp3lame', '-q:a', '4', '-write_xing', '0']],
  ['sine.flac', ['-c:a', 'flac']],
  ['faststart.m4a', ['-c:a', 'aac', '-movflags', '+faststart']],
];

/** Seconds of audio ffmpeg actually decodes from `file`. */
const decodedSec = async (file: string) =>
  (await decodeAll(tools, file)).length / DECODE_SAMPLE_RATE;
afterAll(() => remove());

const probeError = (file: string, options?: ProbeOptions, code?: ErrorCode) =>
  engineRejection(probeMedia(tools, file, options), code);

describe('probeMedia', () => {
  it('describes a 16 kHz mono WAV', async () => {
    const probe = await probeMedia(tools, speech.jfk);
    expect(probe).toMatchObject({
      path: speech.jfk,
      sizeBytes: (await stat(speech.jfk)).size,
      container: 'wav',
      audio: { index: 0, codec: 'pcm_s16le', sampleRate: 16000, channels: 1, bitRate: 256000 },
      audioStreamCount: 1,
      video: null,
    });
    expect(probe.durationSec).toBeCloseTo(11.0, 2);
  });

  it('describes a 44.1 kHz stereo MP3', async () => {
    const probe = await probeMedia(tools, speech.french);
    expect(probe).toMatchObject({
      container: 'mp3',
      audio: { codec: 'mp3', sampleRate: 44100, channels: 2, channelLayout: 'stereo' },
      video: null,
    });
    expect(probe.durationSec).toBeCloseTo(8.54, 1);
    expect(probe.audio.bitRate).toBeGreaterThan(0);
  });

  it('describes the video of a file with video and audio', async () => {
    const probe = await probeMedia(tools, input('video.mp4'));
    expect(probe.video).toEqual({ codec: 'mpeg4', width: 320, height: 240 });
    expect(probe.audio).toMatchObject({ index: 1, codec: 'aac', sampleRate: 22050 });
    expect(probe.container).toContain('mp4');
  });

  it('picks the default audio track and counts all of them', async () => {
    const probe = await probeMedia(tools, input('two-tracks.mkv'));
    expect(probe.audioStreamCount).toBe(2);
    expect(probe.audio).toMatchObject({ index: 1, sampleRate: 24000 });
  });

  it('uses the container duration when the stream has none', async () => {
    const probe = await probeMedia(tools, input('stream-duration-unknown.nut'));
    expect(probe.durationSec).toBeGreaterThan(1.9);
    expect(probe.durationSec).toBeLessThan(2.1);
  });

  it.each(cutFiles.map(([name]) => `half-${name}`))(
    'measures %s, cut to half its bytes, by what can be decoded, not by its header',
    async (name) => {
      const probe = await probeMedia(tools, input(name));
      const decoded = await decodedSec(input(name));
      expect(decoded).toBeGreaterThan(25);
      expect(decoded).toBeLessThan(35);
      expect(Math.abs(probe.durationSec - decoded)).toBeLessThan(0.1);
    },
  );

  it.each(cutFiles.map(([name]) => name))(
    'gives the whole %s (60 s) the length ffmpeg decodes',
    async (name) => {
      const probe = await probeMedia(tools, input(name));
      expect(Math.abs(probe.durationSec - (await decodedSec(input(name))))).toBeLessThan(0.1);
    },
  );

  it('measures a cut hour-long MP3 off the event loop', async () => {
    // An hour of the 60 s CBR file, packets copied (no re-encoding), then cut in half.
    const hour = input('hour.mp3');
    await ffmpegRun(tools, ['-stream_loop', '59', '-i', input('cbr.mp3'), '-c', 'copy', hour]);
    const whole = await readFile(hour);
    await writeFile(input('half-hour.mp3'), whole.subarray(0, Math.floor(whole.length / 2)));
    let durationSec = 0;
    const { worstMs } = await eventLoopGaps(async () => {
      ({ durationSec } = await probeMedia(tools, input('half-hour.mp3')));
    });
    expect(durationSec).toBeGreaterThan(1750);
    expect(durationSec).toBeLessThan(1850);
    // Timers keep firing while ffmpeg reads the whole file: no gap as long as the scan. Starting
    // a process alone holds the loop for up to ~60 ms on the loaded 2-core test machine, so the
    // bound is that of the other event-loop tests (detect-speech.test.ts).
    expect(worstMs).toBeLessThan(100);
  }, 60_000);

  it('reads a healthy file without scanning it: ffmpeg is not needed', async () => {
    const noFfmpeg = { ...tools, ffmpeg: input('no-ffmpeg-here') };
    expect((await probeMedia(noFfmpeg, input('cbr.mp3'))).durationSec).toBeCloseTo(60, 0);
    expect((await probeMedia(noFfmpeg, speech.french)).durationSec).toBeCloseTo(8.54, 1);
    expect((await probeMedia(noFfmpeg, speech.jfk)).durationSec).toBe(11);
    // The cut file is the one that needs the scan.
    await expect(probeMedia(noFfmpeg, input('half-cbr.mp3'))).rejects.toMatchObject({
      code: 'FFMPEG_NOT_FOUND',
    });
  });

  it('rejects media whose duration nobody knows', async () => {
    const error = await probeError(input('no-duration.mkv'), {}, 'MEDIA_UNREADABLE');
    expect(error.message).toMatch(/length of "no-duration.mkv" is unknown/);
  });

  it('rejects a missing file with MEDIA_NOT_FOUND', async () => {
    const missing = input('gone.mp3');
    const error = await probeError(missing, {}, 'MEDIA_NOT_FOUND');
    expect(error.message).toContain(missing);
  });

  it('rejects a folder with MEDIA_UNREADABLE', async () => {
    const error = await probeError(input('folder.mp3'), {}, 'MEDIA_UNREADABLE');
    expect(error.message).toMatch(/folder\.mp3 is a folder/);
  });

  it.skipIf(process.getuid?.() === 0 || process.platform === 'win32')(
    'rejects a file without read permission with MEDIA_UNREADABLE',
    async () => {
      const locked = input('locked.wav');
      await copyFile(speech.jfk, locked);
      await chmod(locked, 0o000);
      const error = await probeError(locked, {}, 'MEDIA_UNREADABLE');
      expect(error.message).toContain('read access');
    },
  );

  it('rejects an empty file with MEDIA_EMPTY', async () => {
    const error = await probeError(input('empty.wav'), {}, 'MEDIA_EMPTY');
    expect(error.message).toMatch(/"empty.wav" is empty/);
  });

  it.each(['notes.txt', 'random.wav', 'truncated.mp3'])(
    'rejects %s with MEDIA_UNREADABLE, keeping ffprobe output out of the message',
    async (name) => {
      const error = await probeError(input(name), {}, 'MEDIA_UNREADABLE');
      expect(error.message).toMatch(
        new RegExp(`^"${name.replace('.', '\\.')}" is not a media file`),
      );
      expect(error.message).not.toContain('\n');
      const stderr = error.details?.stderr as string[];
      expect(stderr.length).toBeGreaterThan(0);
      expect(error.message).not.toContain(stderr.at(-1));
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.details?.stderrTail).toContain(stderr.at(-1));
      expect(error.details).toMatchObject({ command: 'ffprobe', signal: null });
    },
  );

  it('names a text file that ffprobe would read as ANSI art', async () => {
    const error = await probeError(input('long-notes.txt'), {}, 'MEDIA_UNREADABLE');
    expect(error.message).toMatch(/^"long-notes\.txt" is a text file, not audio or video/);
  });

  it('rejects a video without sound with MEDIA_NO_AUDIO', async () => {
    const error = await probeError(input('silent-video.mp4'), {}, 'MEDIA_NO_AUDIO');
    expect(error.message).toMatch(/"silent-video.mp4" has no audio track/);
  });

  it('enforces maxBytes before running ffprobe', async () => {
    const noProbe = { ffmpeg: '/nonexistent/ffmpeg', ffprobe: '/nonexistent/ffprobe' };
    const error = await engineRejection(
      probeMedia(noProbe, speech.jfk, { limits: { maxBytes: 999 } }),
      'MEDIA_TOO_LARGE',
    );
    expect(error.message).toMatch(/"jfk.wav" is 352.1 KB, more than the 999 bytes limit/);
  });

  it('enforces maxDurationSec', async () => {
    const error = await probeError(speech.jfk, { limits: { maxDurationSec: 5 } }, 'MEDIA_TOO_LONG');
    expect(error.message).toMatch(/"jfk.wav" is 11 s long, more than the 5 s limit/);
    expect(error.details).toMatchObject({ durationSec: 11, maxDurationSec: 5 });
  });

  it('accepts media exactly at the limits', async () => {
    const { size } = await stat(speech.jfk);
    const probe = await probeMedia(tools, speech.jfk, {
      limits: { maxBytes: size, maxDurationSec: 11 },
    });
    expect(probe.sizeBytes).toBe(size);
  });

  it('rejects with CANCELLED when aborted', async () => {
    await probeError(speech.jfk, { signal: AbortSignal.abort() }, 'CANCELLED');
    const controller = new AbortController();
    const pending = probeMedia(tools, speech.jfk, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe.skipIf(process.platform === 'win32')('probeMedia runs its own ffprobe', () => {
  it('cancelling a running ffprobe rejects with CANCELLED and leaves no process behind', async () => {
    const log = input('hanging-ffprobe.log');
    const ffprobe = await writeNodeProgram(dir, 'hanging-ffprobe', signalLogger(log, false));
    const controller = new AbortController();
    const pending = probeMedia({ ...tools, ffprobe }, speech.jfk, { signal: controller.signal });
    const pid = await startedPid(log);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(processExists(pid)).toBe(false);
    expect(await loggedLines(log)).toContain('SIGTERM');
  });

  it('two engines with different ffprobe binaries in one process each run their own', async () => {
    // An "ffprobe" that describes every file as 1234.5 s of 8 kHz mono Opus, as JSON when asked
    // for it and otherwise in ffprobe's default sections, with packets up to 1234.5 s.
    const ffprobe = await writeNodeProgram(
      dir,
      'other-ffprobe',
      `const stream = { index: 0, codec_type: 'audio', codec_name: 'opus', sample_rate: '8000', channels: 1, duration: '1234.5' };
      const format = { format_name: 'ogg', duration: '1234.5' };
      const section = (name, o) => '[' + name + ']\\n' + Object.entries(o).map(([k, v]) => k + '=' + v + '\\n').join('') + '[/' + name + ']\\n';
      // The check that the packets really end where the header says: they do.
      if (process.argv.some((arg) => arg.startsWith('packet='))) {
        process.stdout.write(JSON.stringify({ packets: [{ pts_time: '1234.4', duration_time: '0.1' }] }));
        process.exit(0);
      }
      process.stdout.write(process.argv.includes('json')
        ? JSON.stringify({ streams: [stream], format })
        : section('STREAM', stream) + section('FORMAT', format));`,
    );
    const other = { ...tools, ffprobe };
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => probeMedia(i % 2 === 0 ? tools : other, speech.jfk)),
    );
    expect(results.map((r) => [r.container, r.durationSec, r.audio.codec])).toEqual(
      Array.from({ length: 6 }, (_, i) =>
        i % 2 === 0 ? ['wav', 11, 'pcm_s16le'] : ['ogg', 1234.5, 'opus'],
      ),
    );
  });

  it('reports FFMPEG_NOT_FOUND, not a bad file, when ffprobe has gone', async () => {
    const gone = { ...tools, ffprobe: input('no-ffprobe-here') };
    const missing = await engineRejection(probeMedia(gone, speech.jfk), 'FFMPEG_NOT_FOUND');
    expect(missing.message).toContain(gone.ffprobe);
  });
});
