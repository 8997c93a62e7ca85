/**
 * The on-disk form of cached waveform peaks: a 32-byte header followed by the Float32 peaks.
 *
 *   offset  type  field
 *   0       u32   magic "PKS1"
 *   4       u32   format version
 *   8       u32   sample rate of the decoded audio
 *   12      u32   samples per peak
 *   16      u32   peak count
 *   20      u32   CRC-32 of the peak bytes
 *   24      f64   duration in seconds
 *   32      f32[] peaks
 *
 * Everything is in host byte order: the cache never leaves the machine, and a file from a host
 * of the other endianness fails the magic check and is simply recomputed.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { diskError } from '../errors';
import { DECODE_SAMPLE_RATE } from './decode';

export interface Peaks {
  sampleRate: typeof DECODE_SAMPLE_RATE;
  samplesPerPeak: number;
  /**
   * One value per bucket of `samplesPerPeak` samples: the sample with the largest magnitude, sign
   * kept, clamped to [-1, 1]. That is what wavesurfer.js 7 `exportPeaks()` produces per channel,
   * so the UI passes `{ peaks: [peaks], duration: durationSec }` to WaveSurfer.
   */
  peaks: Float32Array;
  durationSec: number;
}

const MAGIC = 0x31534b50; // "PKS1" read as a little-endian u32
const VERSION = 1;
const HEADER_BYTES = 32;

function encodePeaks({ sampleRate, samplesPerPeak, peaks, durationSec }: Peaks): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES + peaks.byteLength);
  const payload = new Uint8Array(peaks.buffer, peaks.byteOffset, peaks.byteLength);
  bytes.set(payload, HEADER_BYTES);
  new Uint32Array(bytes.buffer, 0, 6).set([
    MAGIC,
    VERSION,
    sampleRate,
    samplesPerPeak,
    peaks.length,
    crc32(payload),
  ]);
  new Float64Array(bytes.buffer, 24, 1)[0] = durationSec;
  return bytes;
}

/** The peaks in `file`, or undefined when it is missing, damaged or from another format version. */
export async function readPeaksFile(file: string): Promise<Peaks | undefined> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    // A cache entry that cannot be read is a miss; writing it afresh reports any real problem.
    return undefined;
  }
  return decodePeaks(data);
}

function decodePeaks(data: Uint8Array): Peaks | undefined {
  if (data.length < HEADER_BYTES || (data.length - HEADER_BYTES) % 4 !== 0) return undefined;
  // Copy into a fresh buffer: file buffers may not be aligned for typed-array views.
  const bytes = new Uint8Array(data.length);
  bytes.set(data);
  const [magic, version, sampleRate, samplesPerPeak, count, checksum] = new Uint32Array(
    bytes.buffer,
    0,
    6,
  );
  const durationSec = new Float64Array(bytes.buffer, 24, 1)[0];
  const payload = bytes.subarray(HEADER_BYTES);
  const valid =
    magic === MAGIC &&
    version === VERSION &&
    sampleRate === DECODE_SAMPLE_RATE &&
    samplesPerPeak !== undefined &&
    samplesPerPeak > 0 &&
    count === payload.length / 4 &&
    checksum === crc32(payload) &&
    durationSec !== undefined &&
    Number.isFinite(durationSec);
  if (!valid) return undefined;
  return {
    sampleRate,
    samplesPerPeak,
    peaks: new Float32Array(bytes.buffer, HEADER_BYTES, count),
    durationSec,
  };
}

/**
 * Writes `file` atomically: a temporary sibling is renamed over it, so readers see the old file or
 * the new one, never half of one. No fsync: a file lost in a crash is a cache miss, and a damaged
 * one fails the checksum. A full disk becomes DISK_FULL.
 */
export async function writePeaksFile(file: string, peaks: Peaks): Promise<void> {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temp, encodePeaks(peaks));
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw diskError(error, file) ?? error;
  }
}
