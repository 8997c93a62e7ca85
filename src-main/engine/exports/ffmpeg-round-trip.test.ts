/**
 * A real consumer: ffmpeg reads our SRT and WebVTT and converts each into the other. The cues it
 * writes must carry the times and text we exported (ffmpeg drops WebVTT voice tags and decodes
 * character references, as a player would).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpegTools, type FfmpegTools } from '../media/ffmpeg-tools';
import { parseCues, type ParsedCue } from './__fixtures__/parse-cues';
import { sampleDocument } from './__fixtures__/sample-document';
import { lineText } from '../../common/document-text';
import { exportSrt } from './srt';
import { exportVtt } from './vtt';

const run = promisify(execFile);
let tools: FfmpegTools;
let dir: string;

beforeAll(async () => {
  tools = await resolveFfmpegTools();
  dir = await mkdtemp(path.join(tmpdir(), 'exports-ffmpeg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What the sample document's captions are: times and lines, as plain text. */
function expectedCues(): ParsedCue[] {
  return sampleDocument().segments.map((s) => ({
    start: s.start,
    end: s.end,
    lines: s.lines.map(lineText),
  }));
}

async function convert(input: string, inputName: string, outputName: string): Promise<string> {
  await writeFile(path.join(dir, inputName), input);
  await run(tools.ffmpeg, [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-i',
    path.join(dir, inputName),
    path.join(dir, outputName),
  ]);
  return readFile(path.join(dir, outputName), 'utf8');
}

const decodeVtt = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('ffmpeg reads our subtitles', () => {
  it('converts our SRT to WebVTT with the same cues', async () => {
    const vtt = await convert(exportSrt(sampleDocument()), 'in.srt', 'out.vtt');
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    const cues = parseCues(vtt).map((c) => ({ ...c, lines: c.lines.map(decodeVtt) }));
    expect(cues).toEqual(expectedCues());
  });

  it('converts our WebVTT (voice tags, escapes) to SRT with the same cues', async () => {
    const input = exportVtt(sampleDocument());
    expect(input).toContain('<v Ana García>');
    expect(input).toContain('&amp;');
    const srt = await convert(input, 'in.vtt', 'out.srt');
    expect(parseCues(srt)).toEqual(expectedCues());
    expect(srt).not.toContain('<v');
  });
});
