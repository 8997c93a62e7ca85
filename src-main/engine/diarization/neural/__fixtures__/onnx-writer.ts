/**
 * Writes small ONNX models for tests: the subset of ModelProto (onnx/onnx.proto field numbers)
 * that a graph of a few standard ops needs, plus metadata_props. No dependency: protobuf's wire
 * format is varints, fixed 32-bit values and length-delimited bytes.
 */

/** A growing protobuf message. */
class ProtoWriter {
  private readonly bytes: number[] = [];

  /** int64 fields are unsigned 64-bit varints on the wire (a negative number takes 10 bytes). */
  private varint(value: bigint): void {
    let rest = BigInt.asUintN(64, value);
    while (rest >= 0x80n) {
      this.bytes.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.bytes.push(Number(rest));
  }

  private tag(field: number, wireType: 0 | 2 | 5): void {
    this.varint(BigInt((field << 3) | wireType));
  }

  int(field: number, value: number): this {
    this.tag(field, 0);
    this.varint(BigInt(value));
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, value, true);
    for (let i = 0; i < 4; i++) this.bytes.push(view.getUint8(i));
    return this;
  }

  message(field: number, body: Uint8Array): this {
    this.tag(field, 2);
    this.varint(BigInt(body.length));
    for (const byte of body) this.bytes.push(byte);
    return this;
  }

  string(field: number, value: string): this {
    return this.message(field, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** An attribute: an int, a list of ints, or a float. */
export type AttributeValue = number | number[] | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

/** A constant (initializer): float32 or int64 data in row-major order. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

/** A graph input or output: float32 with fixed sizes or symbolic ones such as 'N'. */
export interface OnnxValue {
  name: string;
  dims: (number | string)[];
}

export interface OnnxModel {
  graphName: string;
  opset: number;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  metadata: Record<string, string | number>;
}

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

function attribute(name: string, value: AttributeValue): Uint8Array {
  const out = new ProtoWriter().string(1, name);
  if (Array.isArray(value)) {
    out.int(20, ATTRIBUTE_INTS);
    for (const item of value) out.int(8, item);
  } else if (typeof value === 'number') {
    out.int(20, ATTRIBUTE_INT).int(3, value);
  } else {
    out.int(20, ATTRIBUTE_FLOAT).float(2, value.float);
  }
  return out.finish();
}

function node({ op, inputs, outputs, attributes = {} }: OnnxNode, index: number): Uint8Array {
  const out = new ProtoWriter();
  for (const input of inputs) out.string(1, input);
  for (const output of outputs) out.string(2, output);
  out.string(3, `${op}_${index}`).string(4, op);
  for (const [name, value] of Object.entries(attributes)) out.message(5, attribute(name, value));
  return out.finish();
}

function tensor({ name, dims, data }: OnnxTensor): Uint8Array {
  const out = new ProtoWriter();
  for (const dim of dims) out.int(1, dim);
  out.int(2, data instanceof Float32Array ? FLOAT : INT64).string(8, name);
  // raw_data is little-endian, as typed arrays are on every platform this runs on.
  return out.message(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).finish();
}

function valueInfo({ name, dims }: OnnxValue): Uint8Array {
  const shape = new ProtoWriter();
  for (const dim of dims) {
    const entry = new ProtoWriter();
    if (typeof dim === 'number') entry.int(1, dim);
    else entry.string(2, dim);
    shape.message(1, entry.finish());
  }
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape.finish()).finish();
  const type = new ProtoWriter().message(1, tensorType).finish();
  return new ProtoWriter().string(1, name).message(2, type).finish();
}

/** The bytes of an .onnx file holding `model`. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const graph = new ProtoWriter();
  model.nodes.forEach((n, index) => graph.message(1, node(n, index)));
  graph.string(2, model.graphName);
  for (const initializer of model.initializers) graph.message(5, tensor(initializer));
  for (const input of model.inputs) graph.message(11, valueInfo(input));
  for (const output of model.outputs) graph.message(12, valueInfo(output));

  const out = new ProtoWriter()
    .int(1, 8) // IR version 8 (ONNX 1.10), which every onnxruntime 1.x reads
    .string(2, 'transcription-studio tests')
    .message(7, graph.finish())
    .message(8, new ProtoWriter().string(1, '').int(2, model.opset).finish());
  for (const [key, value] of Object.entries(model.metadata)) {
    out.message(14, new ProtoWriter().string(1, key).string(2, String(value)).finish());
  }
  return out.finish();
}

/**
 * A file that reads as an ONNX model up to its metadata, but whose graph is not a protobuf
 * message: what a damaged download could look like, for the crash path.
 */
export function encodeBrokenGraph(metadata: Record<string, string | number>): Uint8Array {
  const garbage = new TextEncoder().encode('\xff this is not a graph \xff'.repeat(8));
  const out = new ProtoWriter().int(1, 8).message(7, garbage);
  for (const [key, value] of Object.entries(metadata)) {
    out.message(14, new ProtoWriter().string(1, key).string(2, String(value)).finish());
  }
  return out.finish();
}
