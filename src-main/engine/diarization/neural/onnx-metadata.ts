/**
 * Reads an .onnx file's metadata (ModelProto.metadata_props, field 14) without onnxruntime, so
 * that the keys sherpa-onnx needs can be checked before a native library exits on a missing one.
 * Only the headers of the file's top-level protobuf fields are read: the graph (field 7, nearly
 * all of the file) is skipped, so a 40 MB model costs a few small reads.
 */
import { open, type FileHandle } from 'node:fs/promises';

export interface OnnxSummary {
  /** Whether the file has a graph field (every model has one). */
  hasGraph: boolean;
  metadata: Record<string, string>;
}

/** Why a file could not be read as an ONNX model. */
export class NotOnnxError extends Error {
  override readonly name = 'NotOnnxError';
}

const MODEL_GRAPH = 7;
const MODEL_METADATA = 14;
/** A metadata entry larger than this is not one (a mistaken file read as protobuf). */
const MAX_ENTRY_BYTES = 1024 ** 2;
/** A tag and a length: two varints of at most 10 bytes each. */
const HEADER_BYTES = 20;

/** A varint at `at` of `bytes`: its value and the offset after it. */
function varint(bytes: Uint8Array, at: number): [bigint, number] {
  let value = 0n;
  for (let shift = 0n, i = at; i < bytes.length && shift < 70n; i++, shift += 7n) {
    const byte = bytes[i]!;
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return [value, i + 1];
  }
  throw new NotOnnxError('a number in it is cut off or too long');
}

interface FieldHeader {
  field: number;
  /** Bytes from the field's start to its body (tag and length). */
  headerLength: number;
  /** Bytes of the body. */
  bodyLength: number;
  /** Whether the body is length-delimited (a message, string or bytes). */
  delimited: boolean;
}

/** Decodes the header of the field starting at `bytes[at]`. */
function fieldHeader(bytes: Uint8Array, at: number): FieldHeader {
  const [key, afterKey] = varint(bytes, at);
  const field = Number(key >> 3n);
  const wireType = Number(key & 7n);
  if (field === 0) throw new NotOnnxError('it holds a field numbered 0');
  switch (wireType) {
    case 0:
      return {
        field,
        headerLength: afterKey - at,
        bodyLength: varint(bytes, afterKey)[1] - afterKey,
        delimited: false,
      };
    case 1:
      return { field, headerLength: afterKey - at, bodyLength: 8, delimited: false };
    case 5:
      return { field, headerLength: afterKey - at, bodyLength: 4, delimited: false };
    case 2: {
      const [length, afterLength] = varint(bytes, afterKey);
      return { field, headerLength: afterLength - at, bodyLength: Number(length), delimited: true };
    }
    default:
      throw new NotOnnxError(`it holds a field of unknown wire type ${wireType}`);
  }
}

/** The length-delimited fields of a message held in memory, as (field, body) pairs. */
function* delimitedFields(bytes: Uint8Array): Generator<[number, Uint8Array]> {
  for (let at = 0; at < bytes.length;) {
    const header = fieldHeader(bytes, at);
    const start = at + header.headerLength;
    const end = start + header.bodyLength;
    if (end > bytes.length) throw new NotOnnxError('a field runs past its end');
    if (header.delimited) yield [header.field, bytes.subarray(start, end)];
    at = end;
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * The graph flag and metadata of the .onnx file at `path`. Rejects with NotOnnxError when the
 * file is not a protobuf message, and with the fs error when it cannot be read.
 */
export async function readOnnxSummary(path: string): Promise<OnnxSummary> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) throw new NotOnnxError('it is empty');
    const summary: OnnxSummary = { hasGraph: false, metadata: {} };
    const text = new TextDecoder();
    for (let at = 0; at < size;) {
      const header = fieldHeader(await readAt(file, at, HEADER_BYTES), 0);
      const start = at + header.headerLength;
      const end = start + header.bodyLength;
      if (end > size) throw new NotOnnxError('it is cut off (a field runs past the end)');
      if (header.field === MODEL_GRAPH && header.delimited) summary.hasGraph = true;
      if (header.field === MODEL_METADATA && header.delimited) {
        if (header.bodyLength > MAX_ENTRY_BYTES) throw new NotOnnxError('a metadata entry is huge');
        let key = '';
        let value = '';
        for (const [field, body] of delimitedFields(await readAt(file, start, header.bodyLength))) {
          if (field === 1) key = text.decode(body);
          if (field === 2) value = text.decode(body);
        }
        summary.metadata[key] = value;
      }
      at = end;
    }
    return summary;
  } finally {
    await file.close();
  }
}
