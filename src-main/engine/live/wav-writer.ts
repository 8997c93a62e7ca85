import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { diskError, EngineError } from '../errors';

const headerBytes = 44;
const sampleRate = 16_000;
/**
 * Audio accepted but not yet on disk. Past it the disk is not keeping up (or is stuck), and the
 * recording fails rather than grow in memory.
 */
const maxPendingBytes = 8 * 1024 * 1024;

export interface WavWriter {
  readonly path: string;
  /** Bytes of samples accepted so far. */
  readonly dataBytes: number;
  /** Queues samples (16 kHz mono, -1..1) for writing as PCM16. */
  append(pcm: Float32Array): void;
  /** Writes what is queued, fixes the header's sizes and closes the file. */
  finish(): Promise<void>;
  /** Stops writing and deletes the file. Safe to call at any time, and twice. */
  discard(): Promise<void>;
}

/** The 44-byte header of a 16 kHz mono PCM16 WAV holding `dataBytes` of samples. */
export function wavHeader(dataBytes: number): Buffer {
  const header = Buffer.alloc(headerBytes);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(headerBytes - 8 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

function pcm16(pcm: Float32Array): Buffer {
  const out = Buffer.alloc(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) {
    // The inverse of parsePcmFrame's /32768, so received samples are written back unchanged.
    out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(pcm[i]! * 32768))), 2 * i);
  }
  return out;
}

/**
 * Streams audio into a WAV file: the header first (sizes 0), the samples appended in order as
 * they come, the sizes written at the end. At most `maxPendingBytes` wait in memory. The first
 * write error is reported once through `onError` (DISK_FULL for a full disk); later appends are
 * dropped.
 */
export function createWavWriter(path: string, onError: (error: EngineError) => void): WavWriter {
  let handle: FileHandle | undefined;
  let dataBytes = 0;
  let pending = 0;
  let failed: EngineError | undefined;
  let ended = false;
  const opened = (async () => {
    await mkdir(dirname(path), { recursive: true });
    handle = await open(path, 'w');
    await handle.write(wavHeader(0), 0, headerBytes, 0);
  })();
  let chain: Promise<void> = opened;

  const failWith = (error: unknown) => {
    if (failed) return;
    failed =
      diskError(error, path) ??
      (error instanceof EngineError
        ? error
        : // Any other write failure (read-only or vanished folder) is reported the same way.
          new EngineError(
            'DISK_FULL',
            `Could not write the recording to ${path}: ${(error as Error).message}. Check that the data folder is writable and has free space.`,
            { cause: error, details: { path } },
          ));
    onError(failed);
  };
  chain.catch(failWith);

  const closeHandle = async () => {
    const file = handle;
    handle = undefined;
    await file?.close().catch(() => undefined);
  };

  return {
    path,
    get dataBytes() {
      return dataBytes;
    },
    append(pcm) {
      if (failed || ended) return;
      const bytes = pcm16(pcm);
      if (pending + bytes.length > maxPendingBytes) {
        failWith(
          new EngineError(
            'DISK_FULL',
            `The disk is not keeping up with the recording at ${path}; the session ended. Check the disk, or free some space.`,
            { details: { path } },
          ),
        );
        return;
      }
      pending += bytes.length;
      const at = headerBytes + dataBytes;
      dataBytes += bytes.length;
      chain = chain.then(async () => {
        pending -= bytes.length;
        if (failed || !handle) return;
        await handle.write(bytes, 0, bytes.length, at);
      });
      chain.catch(failWith);
    },
    async finish() {
      ended = true;
      try {
        await chain;
        if (failed) throw failed;
        await handle!.write(wavHeader(dataBytes), 0, headerBytes, 0);
        await handle!.close();
        handle = undefined;
      } catch (error) {
        failWith(error);
        await closeHandle();
        await rm(path, { force: true });
        throw failed;
      }
    },
    async discard() {
      ended = true;
      await chain.catch(() => undefined);
      await closeHandle();
      await rm(path, { force: true });
    },
  };
}
