/**
 * A recording cut short (an interrupted copy or download) keeps the header of the whole file:
 * the library must list the length that can be played, and its transcript's exports must end
 * with the audio. Real ffmpeg, a real MP3, a real engine.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../create-engine';
import { exportDocument } from '../exports/index';
import { parseCues } from '../exports/__fixtures__/parse-cues';
import { createTestEngine } from '../test-support/test-engine';
import { ffmpegRun, speech, tempDir } from './__fixtures__/media-fixtures';
import { decodeAll, DECODE_SAMPLE_RATE } from './decode';
import { resolveFfmpegTools } from './ffmpeg-tools';

let engine: Engine;
let dir: string;
let remove: () => Promise<void>;
let cut: string;
/** Seconds ffmpeg decodes from the cut file. */
let playableSec: number;

beforeAll(async () => {
  ({ dir, remove } = await tempDir());
  const tools = await resolveFfmpegTools();
  // 66 s of speech (jfk.wav six times) as a 64 kb/s CBR MP3 with LAME's Info frame, which
  // records the whole file's frame count; then only the first half of its bytes.
  const whole = path.join(dir, 'whole.mp3');
  await ffmpegRun(tools, [
    ...['-stream_loop', '5', '-i', speech.jfk],
    ...['-c:a', 'libmp3lame', '-b:a', '64k', whole],
  ]);
  const bytes = await readFile(whole);
  cut = path.join(dir, 'cut.mp3');
  await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  playableSec = (await decodeAll(tools, cut)).length / DECODE_SAMPLE_RATE;
  engine = await createTestEngine(path.join(dir, 'data'));
}, 120_000);
afterAll(async () => {
  await engine.shutdown();
  await remove();
});

describe('a cut MP3 whose header promises 66 s', () => {
  it('is listed with the length that can be played', async () => {
    expect(playableSec).toBeGreaterThan(30);
    expect(playableSec).toBeLessThan(36);
    const item = await engine.media.add(cut);
    expect(Math.abs(item.durationSec - playableSec)).toBeLessThan(0.1);
  });

  it('is transcribed to a document whose SRT ends with the audio', async () => {
    const { document, durationSec } = await engine.transcriptions.transcribeFile({
      file: cut,
      params: { language: 'en' },
      signal: new AbortController().signal,
    });
    expect(Math.abs(durationSec - playableSec)).toBeLessThan(0.1);
    expect(Math.abs(document.durationMs - playableSec * 1000)).toBeLessThan(100);
    const cues = parseCues(String(await exportDocument(document, 'srt')));
    expect(cues.length).toBeGreaterThan(0);
    expect(cues.at(-1)!.end).toBeLessThanOrEqual(Math.ceil(playableSec * 1000));
  }, 180_000);
});
