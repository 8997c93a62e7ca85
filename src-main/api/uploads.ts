/**
 * Receiving files sent as multipart/form-data: the file part is streamed to disk as it arrives
 * (never held in memory) under a fresh name, the other parts are collected as text fields, and
 * on any failure the partial file is removed before the error reaches the client.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { mkdir, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import { diskError, EngineError, isEngineError } from '../engine/errors';
import { formatBytes } from '../common/format-bytes';

export interface ReceivedUpload {
  /** Where the file was written. The caller owns it from here on and must remove it when done. */
  path: string;
  /** The file name the client gave (its last component), or `upload` when it gave none. */
  filename: string;
  sizeBytes: number;
  /** Every other part by name; repeated names (`timestamp_granularities[]`) collect in order. */
  fields: Record<string, string[]>;
}

export interface ReceiveUploadOptions {
  /** Folder the file is written to; created when missing. */
  dir: string;
  /** Largest accepted file in bytes; a larger one is refused with MEDIA_TOO_LARGE. */
  maxBytes: number;
  /** Tells the client how to raise `maxBytes`, e.g. which setting holds it. */
  raiseLimitHint: string;
  /** Name of the part that carries the file. @default 'file' */
  fileField?: string;
}

/**
 * A fresh name that still reads like the client's file (`jfk-3f9c0a1b2d4e.wav`), so messages
 * about it make sense to the user, keeping the original extension for ffprobe and people.
 */
function uniqueName(filename: string): string {
  const raw = extname(filename).toLowerCase();
  const ext = /^\.[a-z0-9]{1,10}$/.test(raw) ? raw : '';
  const stem = filename
    .slice(0, filename.length - raw.length)
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^\.+/, '')
    .slice(0, 60);
  return `${stem || 'upload'}-${randomBytes(6).toString('hex')}${ext}`;
}

/** The client's file name without any folders it may carry (`C:\x\a.wav`, `../a.wav`). */
function clientFileName(filename: string | undefined): string {
  const name = basename((filename ?? '').replace(/\\/g, '/')).trim();
  return name === '' || name === '.' || name === '..' ? 'upload' : name;
}

/** More of a refused body than this is not worth reading: the client is disconnected instead. */
const discardLimitBytes = 64 * 1024 ** 2;

/**
 * Reads and drops the rest of a refused request body. Left unread, it would stall the
 * connection (the client blocked sending, the next request never parsed); a client that goes on
 * sending past `discardLimitBytes` is disconnected.
 */
function discardRest(raw: IncomingMessage): void {
  if (raw.complete || raw.destroyed) return;
  // Detach the multipart parser now: its own unpipe, later, would pause the stream again.
  raw.unpipe();
  let dropped = 0;
  raw.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > discardLimitBytes) raw.socket.destroy();
  });
  raw.resume();
}

/** The calls node:fs makes to write a file: their errors are the disk's, not the request's. */
const writeSyscalls = new Set(['open', 'write', 'writev', 'close', 'fsync']);
const isWriteError = (error: unknown): boolean =>
  writeSyscalls.has(String((error as NodeJS.ErrnoException | undefined)?.syscall));

function malformed(detail: string, fileField: string, cause?: unknown): EngineError {
  return new EngineError(
    'INVALID_ARGUMENT',
    `The multipart/form-data body could not be read (${detail}); send it again complete, with the file in one part named "${fileField}".`,
    { cause },
  );
}

/**
 * Reads the multipart body of `request`: the one part named `fileField` goes to a new file in
 * `dir` (under a unique name, see `uniqueName`), every other part is a text field. Throws
 * INVALID_ARGUMENT for a request that is not multipart, a malformed or truncated body, a missing
 * file part or a second file, MEDIA_TOO_LARGE past `maxBytes` (nothing more is written), DISK_FULL
 * for a full disk. Whatever it throws, no file is left behind.
 */
export async function receiveUpload(
  request: FastifyRequest,
  options: ReceiveUploadOptions,
): Promise<ReceivedUpload> {
  const { dir, maxBytes, raiseLimitHint, fileField = 'file' } = options;
  if (!request.isMultipart()) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Send the file as multipart/form-data with a part named "${fileField}" (got ${request.headers['content-type'] ?? 'no content type'}).`,
    );
  }
  await mkdir(dir, { recursive: true });
  const fields: Record<string, string[]> = {};
  let written: { path: string; filename: string; sizeBytes: number } | undefined;
  let target: string | undefined;
  let filename = 'upload';
  const tooLarge = () =>
    new EngineError(
      'MEDIA_TOO_LARGE',
      `"${filename}" is larger than the upload limit of ${formatBytes(maxBytes)} (${maxBytes} bytes); send a smaller file, or ${raiseLimitHint}.`,
      { details: { maxBytes } },
    );
  try {
    const parts = request.parts({ limits: { fileSize: maxBytes } });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.valueTruncated) {
          throw new EngineError(
            'INVALID_ARGUMENT',
            `The form field "${part.fieldname}" is too long; send a shorter value.`,
          );
        }
        (fields[part.fieldname] ??= []).push(String(part.value));
        continue;
      }
      if (part.fieldname !== fileField || target !== undefined) {
        part.file.destroy();
        throw new EngineError(
          'INVALID_ARGUMENT',
          `Unexpected file part "${part.fieldname}"; send exactly one file, in a part named "${fileField}".`,
        );
      }
      filename = clientFileName(part.filename);
      target = join(dir, uniqueName(filename));
      // busboy passes no data past the limit; ending the stream here ends the upload at once.
      part.file.once('limit', () => part.file.destroy(tooLarge()));
      const sink = createWriteStream(target, { flags: 'wx' });
      await pipeline(part.file, sink);
      // A part that was already parsed to its end when the limit fired arrives truncated.
      if (part.file.truncated) throw tooLarge();
      written = { path: target, filename, sizeBytes: sink.bytesWritten };
    }
  } catch (error) {
    discardRest(request.raw);
    if (target !== undefined) await rm(target, { force: true });
    if ((error as { code?: unknown } | undefined)?.code === 'FST_REQ_FILE_TOO_LARGE') {
      throw tooLarge();
    }
    if (isEngineError(error)) throw error;
    if (isWriteError(error)) throw (target && diskError(error, target)) || error;
    throw malformed((error as Error).message || 'unknown error', fileField, error);
  }
  if (!written) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `The multipart/form-data body has no part named "${fileField}"; send the file in a part with that name.`,
    );
  }
  return { ...written, fields };
}

/** `value` with `rename` applied to every string in it (arrays and plain objects, deeply). */
function mapStrings(value: unknown, rename: (text: string) => string): unknown {
  if (typeof value === 'string') return rename(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, rename));
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, rename)]));
  }
  return value;
}

/**
 * `error` as the client should read it: an upload is stored under a fresh name (`fake-3f9c….wav`),
 * and a message the engine wrote about that file names the file the person chose (`fake.wav`)
 * instead, in its text and in its details. Anything else is returned as it is.
 */
export function withClientName(
  error: unknown,
  upload: Pick<ReceivedUpload, 'path' | 'filename'>,
): unknown {
  if (!isEngineError(error)) return error;
  const stored = basename(upload.path);
  const rename = (text: string) =>
    text.split(upload.path).join(upload.filename).split(stored).join(upload.filename);
  const message = rename(error.message);
  const details = error.details && (mapStrings(error.details, rename) as Record<string, unknown>);
  if (message === error.message && JSON.stringify(details) === JSON.stringify(error.details)) {
    return error;
  }
  return new EngineError(error.code, message, { cause: error, ...(details ? { details } : {}) });
}

/**
 * Validator for routes whose body may be multipart/form-data. Such a body reaches validation
 * empty (the handler streams it with `receiveUpload`, so there is nothing a schema could check
 * yet) and is let through; any other body is checked against `json` when given, or left for the
 * handler to refuse. The route's `schema.body` then only describes the request for OpenAPI.
 */
export function uploadRouteValidator<S>(json?: ZodType): FastifySchemaCompiler<S> {
  return (definition) => {
    // Fastify compiles one part (body, params, …) at a time; its types name the whole schema.
    const route = definition as unknown as Parameters<FastifySchemaCompiler<ZodType>>[0];
    if (route.httpPart !== 'body') return validatorCompiler(route);
    const check = json && validatorCompiler({ ...route, schema: json });
    // Fastify hands an absent body (multipart, or none at all) to validators as null.
    return (data: unknown) => (data === null || !check ? { value: data } : check(data));
  };
}
