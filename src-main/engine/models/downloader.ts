import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EngineError, abortReason, isEngineError } from '../errors';
import type { Fix } from '../../common/remedies';
import { hashFile } from '../hash-file';
import { modelsFolderError } from './folder-error';

export interface DownloadProgress {
  /** Bytes in the partial file so far, a resumed prefix included. */
  receivedBytes: number;
  /** Size of the whole file when the server or the caller knows it. */
  totalBytes: number | null;
  /** Smoothed transfer rate of the current request. */
  bytesPerSec: number;
}

export interface DownloadOptions {
  url: string;
  dest: string;
  /** Lowercase hex sha256 the finished file must have. */
  expectedSha256: string;
  expectedSize?: number;
  signal?: AbortSignal;
  /** Called at most every {@link progressIntervalMs} and once more when the body is complete. */
  onProgress?: (progress: DownloadProgress) => void;
  /** @default globalThis.fetch */
  fetchImpl?: typeof fetch;
  /** Fail when no bytes arrive for this long, while waiting for the response or the body. @default 30_000 */
  stallTimeoutMs?: number;
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
}

/** Where an unfinished download of `dest` lives; a later download resumes from it. */
export const partialPath = (dest: string): string => `${dest}.partial`;

const progressIntervalMs = 100;

/** Errno codes that mean the host could not be reached at all. */
const offlineCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Downloads `url` to `dest`, resuming `dest.partial` with a Range request when one exists.
 * `dest` only appears, by an atomic rename, once the size and sha256 are verified.
 * Failures keep the partial for a later resume, except a checksum mismatch, which deletes it.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const { signal, url, dest } = options;
  if (signal?.aborted) throw abortReason(signal, `Downloading ${url}`);
  await mkdir(dirname(dest), { recursive: true }).catch((error: unknown) => {
    throw modelsFolderError(error, dirname(dest));
  });
  return attempt(options, false);
}

async function attempt(options: DownloadOptions, isRetry: boolean): Promise<DownloadResult> {
  const { url, dest, expectedSize, signal } = options;
  const partial = partialPath(dest);
  let offset = await fileSize(partial);
  if (expectedSize !== undefined && offset > expectedSize) {
    await removeFile(partial);
    offset = 0;
  }
  const hash = createHash('sha256');
  if (offset > 0) {
    await hashFile(partial, hash).catch((error: unknown) => {
      throw modelsFolderError(error, partial);
    });
  }
  if (signal?.aborted) throw abortReason(signal, `Downloading ${url}`);

  const stall = createStallTimer(options.stallTimeoutMs ?? 30_000);
  let outcome: DownloadResult | { restart: string };
  try {
    outcome = await transfer(options, stall, offset, hash);
  } finally {
    stall.stop();
  }
  if (!('restart' in outcome)) return outcome;
  // The partial cannot be resumed: discard it and start over, once.
  await removeFile(partial);
  if (isRetry) {
    throw new EngineError(
      'MODEL_DOWNLOAD_FAILED',
      `Downloading ${url} failed: ${outcome.restart}.`,
      {
        details: { url },
      },
    );
  }
  return attempt(options, true);
}

/** One request: resumes from `offset` (whose bytes `hash` has seen) and commits the result. */
async function transfer(
  options: DownloadOptions,
  stall: StallTimer,
  offset: number,
  hash: Hash,
): Promise<DownloadResult | { restart: string }> {
  const { url, expectedSize } = options;
  const partial = partialPath(options.dest);
  const response = await request(options, stall, offset);

  if (response.status === 416 && offset > 0) {
    await response.body?.cancel();
    const total = parseUnsatisfiedTotal(response.headers.get('content-range')) ?? expectedSize;
    // The partial already holds the whole file (we stopped between the last byte and the rename).
    if (total === undefined || total === offset) return commit(options, offset, hash);
    return { restart: 'the server rejected the resume request' };
  }
  if (!response.ok) {
    await response.body?.cancel();
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new EngineError(
      'MODEL_DOWNLOAD_FAILED',
      `Downloading ${url} failed: the server answered HTTP ${status}. ` +
        'Try again later; if it persists, report the catalog entry.',
      { details: { url, status: response.status } },
    );
  }

  let total: number | undefined;
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (range?.start !== offset) {
      await response.body?.cancel();
      return { restart: 'the server resumed at the wrong offset' };
    }
    total = range.total;
  } else {
    // Any other 2xx carries the whole file: a server that ignores Range makes us start over.
    offset = 0;
    hash = createHash('sha256');
    total = numberHeader(response.headers.get('content-length'));
  }
  if (expectedSize !== undefined && total !== undefined && total !== expectedSize) {
    await response.body?.cancel();
    await removeFile(partial);
    throw new EngineError(
      'MODEL_DOWNLOAD_FAILED',
      `The server offers ${total} bytes for ${url} but the catalog expects ${expectedSize}. ` +
        'The catalog entry is probably out of date: report it, or import the file by hand.',
      { details: { url, expectedSize, serverSize: total } },
    );
  }
  total ??= expectedSize;

  const file = await open(partial, offset > 0 ? 'a' : 'w').catch((error: unknown) => {
    throw modelsFolderError(error, partial);
  });
  let received = offset;
  const report = createProgressReporter(options.onProgress, total);
  try {
    for await (const chunk of response.body ?? []) {
      await file.write(chunk).catch((error: unknown) => {
        throw modelsFolderError(error, partial);
      });
      hash.update(chunk);
      received += chunk.byteLength;
      stall.reset();
      report(received, false);
    }
  } catch (error) {
    throw bodyError(error, options, stall, received, total);
  } finally {
    await file.close();
  }
  report(received, true);
  return commit(options, received, hash);
}

/** Sends the request; failures before any response are mostly "offline". */
async function request(
  options: DownloadOptions,
  stall: StallTimer,
  offset: number,
): Promise<Response> {
  const { url, signal, fetchImpl = fetch } = options;
  const host = new URL(url).host;
  try {
    return await fetchImpl(url, {
      signal: signal ? AbortSignal.any([signal, stall.signal]) : stall.signal,
      // Compressed bodies would make Content-Length and byte ranges meaningless.
      headers: {
        'accept-encoding': 'identity',
        ...(offset > 0 && { range: `bytes=${offset}-` }),
      },
    });
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal, `Downloading ${url}`);
    if (stall.signal.aborted)
      throw offline(url, host, `no response within ${stall.seconds} s`, error);
    const code = networkCode(error);
    if (code && offlineCodes.has(code)) throw offline(url, host, code, error);
    throw new EngineError(
      'MODEL_DOWNLOAD_FAILED',
      `Downloading ${url} failed: ${causeMessage(error)}. Try again later.`,
      { cause: error, details: { url } },
    );
  }
}

/** Classifies a failure while receiving the body; the partial stays for a resume. */
function bodyError(
  error: unknown,
  options: DownloadOptions,
  stall: StallTimer,
  received: number,
  total: number | undefined,
): EngineError {
  const { url, signal } = options;
  if (signal?.aborted) return abortReason(signal, `Downloading ${url}`);
  if (isEngineError(error)) return error;
  const host = new URL(url).host;
  const details = { url, receivedBytes: received, partialPath: partialPath(options.dest) };
  if (stall.signal.aborted) {
    return new EngineError(
      'MODEL_DOWNLOAD_FAILED',
      `No data arrived from ${host} for ${stall.seconds} s. ` +
        `The partial download (${received} bytes) is kept and will resume when you try again.`,
      { cause: error, details },
    );
  }
  const of = total === undefined ? '' : ` of ${total}`;
  return new EngineError(
    'MODEL_DOWNLOAD_FAILED',
    `The connection to ${host} dropped after ${received}${of} bytes (${causeMessage(error)}). ` +
      'The partial download is kept and will resume when you try again.',
    { cause: error, details },
  );
}

interface StallTimer {
  /** Aborts when no bytes arrived for the timeout. */
  signal: AbortSignal;
  seconds: number;
  reset(): void;
  stop(): void;
}

function createStallTimer(timeoutMs: number): StallTimer {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  return {
    signal: controller.signal,
    seconds: Math.round(timeoutMs / 100) / 10,
    reset: () => timer.refresh(),
    stop: () => clearTimeout(timer),
  };
}

/** Verifies the finished partial and renames it into place. */
async function commit(
  options: DownloadOptions,
  bytes: number,
  hash: Hash,
): Promise<DownloadResult> {
  const { url, dest, expectedSize, expectedSha256 } = options;
  const partial = partialPath(dest);
  if (expectedSize !== undefined && bytes < expectedSize) {
    throw new EngineError(
      'MODEL_DOWNLOAD_FAILED',
      `The download of ${url} ended early at ${bytes} of ${expectedSize} bytes. ` +
        'The partial download is kept and will resume when you try again.',
      { details: { url, receivedBytes: bytes, partialPath: partial } },
    );
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== expectedSha256 || (expectedSize !== undefined && bytes !== expectedSize)) {
    await removeFile(partial);
    throw new EngineError(
      'MODEL_CHECKSUM_MISMATCH',
      `The file downloaded from ${url} does not match its catalog checksum ` +
        `(expected sha256 ${expectedSha256}, got ${sha256}). The download was deleted. ` +
        'Try again; if it fails again, the file on the server has changed: report the catalog entry.',
      { details: { url, expectedSha256, actualSha256: sha256, bytes } },
    );
  }
  await rename(partial, dest).catch((error: unknown) => {
    throw modelsFolderError(error, dest);
  });
  return { bytes, sha256 };
}

function createProgressReporter(
  onProgress: DownloadOptions['onProgress'],
  totalBytes: number | undefined,
): (receivedBytes: number, final: boolean) => void {
  let lastAt = performance.now();
  let lastBytes: number | undefined;
  let lastEmitAt = -Infinity;
  let bytesPerSec = 0;
  return (receivedBytes, final) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!final && now - lastEmitAt < progressIntervalMs) return;
    // The first report only anchors the rate; later ones blend in the rate since the last report.
    if (lastBytes !== undefined && now > lastAt) {
      const instant = ((receivedBytes - lastBytes) * 1000) / (now - lastAt);
      bytesPerSec = bytesPerSec === 0 ? instant : 0.7 * bytesPerSec + 0.3 * instant;
    }
    lastAt = now;
    lastBytes = receivedBytes;
    lastEmitAt = now;
    onProgress({
      receivedBytes,
      totalBytes: totalBytes ?? null,
      bytesPerSec: Math.round(bytesPerSec),
    });
  };
}

function offline(url: string, host: string, reason: string, cause: unknown): EngineError {
  return new EngineError(
    'MODEL_OFFLINE',
    `Cannot reach ${host} (${reason}): check your connection and try again.`,
    { cause, details: { url, host, reason, fix: 'import-model' satisfies Fix } },
  );
}

/** The errno-style code behind a fetch failure (undici wraps it in `cause`, sometimes an AggregateError). */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    const first: unknown = current instanceof AggregateError ? current.errors[0] : undefined;
    current = first ?? current.cause;
  }
  return undefined;
}

function causeMessage(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

function parseContentRange(
  header: string | null,
): { start: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}

function parseUnsatisfiedTotal(header: string | null): number | undefined {
  const match = /^bytes \*\/(\d+)$/.exec(header?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

function numberHeader(value: string | null): number | undefined {
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw modelsFolderError(error, path);
  }
}

async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true }).catch((error: unknown) => {
    throw modelsFolderError(error, path);
  });
}
