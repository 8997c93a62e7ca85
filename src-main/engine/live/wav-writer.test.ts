import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineError } from '../errors';
import { readWav16kMono, speech } from '../whisper/__fixtures__/whisper-fixtures';
import { createWavWriter } from './wav-writer';

const work = mkdtempSync(join(tmpdir(), 'studio-wav-writer-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const noError = (error: EngineError) => {
  throw error;
};

describe('createWavWriter', () => {
  it('streams samples after a 44-byte header and fixes the sizes on finish', async () => {
    const jfk = readWav16kMono(speech.jfk);
    const path = join(work, 'nested', 'jfk.wav');
    const writer = createWavWriter(path, noError);
    for (let at = 0; at < jfk.length; at += 1600) writer.append(jfk.subarray(at, at + 1600));
    await writer.finish();

    const bytes = readFileSync(path);
    expect(bytes.length).toBe(44 + jfk.length * 2);
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(bytes.toString('ascii', 36, 40)).toBe('data');
    expect(bytes.readUInt32LE(40)).toBe(jfk.length * 2);
    // The samples come back exactly: PCM16 → float → PCM16 is lossless.
    expect(readWav16kMono(path)).toEqual(jfk);
    const probed = execFileSync('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=sample_rate,channels,codec_name:format=duration',
      '-of',
      'json',
      path,
    ]).toString();
    const info = JSON.parse(probed) as {
      streams: { sample_rate: string; channels: number; codec_name: string }[];
      format: { duration: string };
    };
    expect(info.streams[0]).toMatchObject({
      sample_rate: '16000',
      channels: 1,
      codec_name: 'pcm_s16le',
    });
    expect(Number(info.format.duration)).toBeCloseTo(jfk.length / 16000, 2);
  });

  it('clamps samples outside -1..1', async () => {
    const path = join(work, 'clamp.wav');
    const writer = createWavWriter(path, noError);
    writer.append(Float32Array.from([2, -2, 0.5]));
    await writer.finish();
    const bytes = readFileSync(path);
    expect([bytes.readInt16LE(44), bytes.readInt16LE(46), bytes.readInt16LE(48)]).toEqual([
      32767, -32768, 16384,
    ]);
  });

  it('discard deletes the partial file', async () => {
    const path = join(work, 'gone.wav');
    const writer = createWavWriter(path, noError);
    writer.append(new Float32Array(16000));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(existsSync(path)).toBe(true);
    await writer.discard();
    expect(existsSync(path)).toBe(false);
  });

  it('reports a full disk once as DISK_FULL and leaves no file', async () => {
    // A link to /dev/full: every write fails with ENOSPC; deleting removes only the link.
    const path = join(work, 'full.wav');
    symlinkSync('/dev/full', path);
    const errors: EngineError[] = [];
    const writer = createWavWriter(path, (error) => errors.push(error));
    writer.append(new Float32Array(1600));
    writer.append(new Float32Array(1600));
    await expect(writer.finish()).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('DISK_FULL');
    expect(errors[0]!.message).toMatch(/disk space/);
    expect(existsSync(path)).toBe(false);
    expect(existsSync('/dev/full')).toBe(true);
  });
});
