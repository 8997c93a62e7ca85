/**
 * The legacy whisper.cpp model file ("ggml" magic), as `whisper_model_load` in
 * whisper.cpp 1.9.1 (src/whisper.cpp) reads it:
 *
 *   u32 magic 0x67676d6c
 *   i32 n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
 *       n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype
 *   i32 n_mel, n_fft; f32[n_mel * n_fft] mel filters
 *   i32 n_words; n_words × (u32 len, bytes) vocabulary
 *   tensor records until end of file:
 *     i32 n_dims, i32 name_len, i32 ttype, i32 ne[n_dims], name bytes, data
 *
 * All little-endian. `ne` is in ggml order (ne[0] is the innermost, contiguous dimension).
 * The loader checks each record's name, ne[0..2] and element size against the tensor it
 * allocated, then reads the data raw; it requires all tensors or none ("empty model for
 * testing"), in any order.
 */

/** ggml_type values the loader uses for whisper weights. */
export const GGML_TYPE_F32 = 0;
export const GGML_TYPE_F16 = 1;

export const GGML_FILE_MAGIC = 0x67676d6c;

/** Hyper-parameters from the file header, in header order. */
export interface WhisperHparams {
  nVocab: number;
  nAudioCtx: number;
  nAudioState: number;
  nAudioHead: number;
  nAudioLayer: number;
  nTextCtx: number;
  nTextState: number;
  nTextHead: number;
  nTextLayer: number;
  nMels: number;
  /** 0 = all f32, 1 = f16 weights (1-d tensors and biases stay f32). Quantized types are refused. */
  ftype: number;
}

export interface ParsedHeader {
  hparams: WhisperHparams;
  /** Byte length of magic + hparams + mel filters + vocabulary: where tensor records start. */
  prefixBytes: number;
  /** Number of tensor-record bytes after the prefix (0 for the for-tests-ggml-* files). */
  trailingBytes: number;
}

/** How a tensor's values are initialised by the test-model generator. */
export type TensorInit =
  /**
   * Centred uniform noise with this standard deviation. With `centerRows`, each run of
   * ne[0] elements (the weights one output reads) is shifted to sum to zero.
   */
  | { kind: 'noise'; std: number; centerRows?: boolean }
  /** Every element is this value (layer-norm gains 1, biases 0). */
  | { kind: 'constant'; value: number }
  /** Whisper's sinusoidal position embedding (as the real encoder uses), times `scale`. */
  | { kind: 'sinusoids'; scale: number };

export interface TensorSpec {
  name: string;
  /** Dimensions in ggml order (ne[0] first), as the loader creates the tensor. */
  ne: number[];
  type: typeof GGML_TYPE_F32 | typeof GGML_TYPE_F16;
  init: TensorInit;
}

/** Bytes of the magic and the hyper-parameters at the start of the file. */
export const WHISPER_HPARAMS_BYTES = 48;

/**
 * The hyper-parameters of a whisper.cpp model file from its first {@link WHISPER_HPARAMS_BYTES}
 * bytes; undefined when they are missing or the file does not start with the ggml magic.
 */
export function readHparams(head: Buffer): WhisperHparams | undefined {
  if (head.length < WHISPER_HPARAMS_BYTES || head.readUInt32LE(0) !== GGML_FILE_MAGIC) {
    return undefined;
  }
  const at = (i: number) => head.readInt32LE(4 + 4 * i);
  return {
    nVocab: at(0),
    nAudioCtx: at(1),
    nAudioState: at(2),
    nAudioHead: at(3),
    nAudioLayer: at(4),
    nTextCtx: at(5),
    nTextState: at(6),
    nTextHead: at(7),
    nTextLayer: at(8),
    nMels: at(9),
    ftype: at(10),
  };
}

/** Reads and checks the header, mel filters and vocabulary of a whisper.cpp model file. */
export function parseHeader(file: Buffer): ParsedHeader {
  const fail = (what: string): never => {
    throw new Error(`Not a whisper.cpp model file: ${what}.`);
  };
  if (file.length < WHISPER_HPARAMS_BYTES) fail('shorter than the header');
  if (file.readUInt32LE(0) !== GGML_FILE_MAGIC) fail('bad magic');
  const hparams = readHparams(file) ?? fail('bad header');
  // The loader strips a quantization-version multiple of 1000; the test files carry none.
  if (hparams.ftype % 1000 !== 0 && hparams.ftype % 1000 !== 1) {
    fail(`ftype ${hparams.ftype} is quantized; only f32 (0) and f16 (1) are supported`);
  }
  let offset = WHISPER_HPARAMS_BYTES;
  const need = (n: number) => {
    if (offset + n > file.length) fail('truncated');
  };
  need(8);
  const nMel = file.readInt32LE(offset);
  const nFft = file.readInt32LE(offset + 4);
  offset += 8 + 4 * nMel * nFft;
  need(4);
  const nWords = file.readInt32LE(offset);
  offset += 4;
  for (let i = 0; i < nWords; i++) {
    need(4);
    offset += 4 + file.readUInt32LE(offset);
  }
  need(0);
  return { hparams, prefixBytes: offset, trailingBytes: file.length - offset };
}

/**
 * Every tensor `whisper_model_load` allocates for these hyper-parameters, with the exact
 * name, shape and element type it checks, and the initialisation the generator uses.
 *
 * Types: with ftype 1 the big matrices (`wtype`) and the two conv kernels (`vtype`) are
 * f16; positional embeddings, layer norms and biases are always f32. With ftype 0 all f32.
 *
 * Initialisation (why each scale: see `testModelWeightScales` in make-test-model.ts):
 * - matrices and conv kernels: noise with std `gain / sqrt(fan_in)` times the per-role gain,
 *   each row centred to sum to zero;
 * - layer-norm gains 1, all biases 0;
 * - encoder positions: Whisper's sinusoids, scaled down so the audio dominates;
 * - decoder positions and the token embedding (also the output projection): noise.
 */
export function tensorSpecs(hp: WhisperHparams, weights: WeightScales): TensorSpec[] {
  const f16 = hp.ftype % 1000 === 1;
  const wtype = f16 ? GGML_TYPE_F16 : GGML_TYPE_F32;
  const vtype = wtype;
  const specs: TensorSpec[] = [];
  const f32 = GGML_TYPE_F32;
  const ones: TensorInit = { kind: 'constant', value: 1 };
  const zeros: TensorInit = { kind: 'constant', value: 0 };
  const matrix = (fanIn: number, gain = weights.gain): TensorInit => ({
    kind: 'noise',
    std: gain / Math.sqrt(fanIn),
    centerRows: true,
  });
  const g = weights.gain;
  const add = (name: string, ne: number[], type: TensorSpec['type'], init: TensorInit) =>
    specs.push({ name, ne, type, init });

  const as = hp.nAudioState;
  add('encoder.positional_embedding', [as, hp.nAudioCtx], f32, {
    kind: 'sinusoids',
    scale: weights.encoderPositionScale,
  });
  add('encoder.conv1.weight', [3, hp.nMels, as], vtype, matrix(3 * hp.nMels, g * weights.convGain));
  add('encoder.conv1.bias', [1, as], f32, zeros);
  add('encoder.conv2.weight', [3, as, as], vtype, matrix(3 * as, g * weights.convGain));
  add('encoder.conv2.bias', [1, as], f32, zeros);
  add('encoder.ln_post.weight', [as], f32, ones);
  add('encoder.ln_post.bias', [as], f32, zeros);
  for (let i = 0; i < hp.nAudioLayer; i++) {
    const p = `encoder.blocks.${i}`;
    add(`${p}.mlp_ln.weight`, [as], f32, ones);
    add(`${p}.mlp_ln.bias`, [as], f32, zeros);
    add(`${p}.mlp.0.weight`, [as, 4 * as], wtype, matrix(as));
    add(`${p}.mlp.0.bias`, [4 * as], f32, zeros);
    add(`${p}.mlp.2.weight`, [4 * as, as], wtype, matrix(4 * as));
    add(`${p}.mlp.2.bias`, [as], f32, zeros);
    add(`${p}.attn_ln.weight`, [as], f32, ones);
    add(`${p}.attn_ln.bias`, [as], f32, zeros);
    add(`${p}.attn.query.weight`, [as, as], wtype, matrix(as));
    add(`${p}.attn.query.bias`, [as], f32, zeros);
    add(`${p}.attn.key.weight`, [as, as], wtype, matrix(as));
    add(`${p}.attn.value.weight`, [as, as], wtype, matrix(as));
    add(`${p}.attn.value.bias`, [as], f32, zeros);
    add(`${p}.attn.out.weight`, [as, as], wtype, matrix(as));
    add(`${p}.attn.out.bias`, [as], f32, zeros);
  }

  const ts = hp.nTextState;
  add('decoder.positional_embedding', [ts, hp.nTextCtx], f32, {
    kind: 'noise',
    std: weights.decoderPositionStd,
  });
  add('decoder.token_embedding.weight', [ts, hp.nVocab], wtype, {
    kind: 'noise',
    std: weights.tokenEmbeddingStd,
  });
  add('decoder.ln.weight', [ts], f32, ones);
  add('decoder.ln.bias', [ts], f32, zeros);
  for (let i = 0; i < hp.nTextLayer; i++) {
    const p = `decoder.blocks.${i}`;
    add(`${p}.mlp_ln.weight`, [ts], f32, ones);
    add(`${p}.mlp_ln.bias`, [ts], f32, zeros);
    add(`${p}.mlp.0.weight`, [ts, 4 * ts], wtype, matrix(ts));
    add(`${p}.mlp.0.bias`, [4 * ts], f32, zeros);
    add(`${p}.mlp.2.weight`, [4 * ts, ts], wtype, matrix(4 * ts, g * weights.decoderMlpOutputGain));
    add(`${p}.mlp.2.bias`, [ts], f32, zeros);
    add(`${p}.attn_ln.weight`, [ts], f32, ones);
    add(`${p}.attn_ln.bias`, [ts], f32, zeros);
    add(`${p}.attn.query.weight`, [ts, ts], wtype, matrix(ts));
    add(`${p}.attn.query.bias`, [ts], f32, zeros);
    add(`${p}.attn.key.weight`, [ts, ts], wtype, matrix(ts));
    add(`${p}.attn.value.weight`, [ts, ts], wtype, matrix(ts));
    add(`${p}.attn.value.bias`, [ts], f32, zeros);
    add(
      `${p}.attn.out.weight`,
      [ts, ts],
      wtype,
      matrix(ts, g * weights.decoderSelfAttentionOutputGain),
    );
    add(`${p}.attn.out.bias`, [ts], f32, zeros);
    add(`${p}.cross_attn_ln.weight`, [ts], f32, ones);
    add(`${p}.cross_attn_ln.bias`, [ts], f32, zeros);
    add(
      `${p}.cross_attn.query.weight`,
      [ts, ts],
      wtype,
      matrix(ts, g * weights.crossAttentionQueryKeyGain),
    );
    add(`${p}.cross_attn.query.bias`, [ts], f32, zeros);
    add(
      `${p}.cross_attn.key.weight`,
      [ts, ts],
      wtype,
      matrix(ts, g * weights.crossAttentionQueryKeyGain),
    );
    add(`${p}.cross_attn.value.weight`, [ts, ts], wtype, matrix(ts));
    add(`${p}.cross_attn.value.bias`, [ts], f32, zeros);
    add(
      `${p}.cross_attn.out.weight`,
      [ts, ts],
      wtype,
      matrix(ts, g * weights.crossAttentionOutputGain),
    );
    add(`${p}.cross_attn.out.bias`, [ts], f32, zeros);
  }
  return specs;
}

/** The knobs of the initialisation (see {@link tensorSpecs}). */
export interface WeightScales {
  /** Multiplier on 1/sqrt(fan_in) for matrices and conv kernels. */
  gain: number;
  /** Extra multiplier on the two encoder convolutions (the audio's weight against positions). */
  convGain: number;
  /** Extra multiplier on the decoder's self-attention output (the running mean of history). */
  decoderSelfAttentionOutputGain: number;
  /** Extra multiplier on the decoder's MLP output (a random function of token and position). */
  decoderMlpOutputGain: number;
  /** Extra multiplier on the cross-attention query and key (sharper: picks audio frames). */
  crossAttentionQueryKeyGain: number;
  /** Extra multiplier on the cross-attention output (how strongly the audio steers). */
  crossAttentionOutputGain: number;
  /** Scale of the sinusoidal encoder positions. */
  encoderPositionScale: number;
  /** Standard deviation of the decoder's learned positions. */
  decoderPositionStd: number;
  /** Standard deviation of the token embedding (input embedding and output projection). */
  tokenEmbeddingStd: number;
}

export function elementCount(spec: TensorSpec): number {
  return spec.ne.reduce((a, b) => a * b, 1);
}

export function bytesPerElement(type: TensorSpec['type']): number {
  return type === GGML_TYPE_F16 ? 2 : 4;
}

/** Bytes of one tensor record: 3 i32, the dims, the name and the data. */
export function recordBytes(spec: TensorSpec): number {
  return (
    12 +
    4 * spec.ne.length +
    Buffer.byteLength(spec.name, 'utf8') +
    elementCount(spec) * bytesPerElement(spec.type)
  );
}

/** The record header (everything before the data) of one tensor. */
export function recordHeader(spec: TensorSpec): Buffer {
  const name = Buffer.from(spec.name, 'utf8');
  const header = Buffer.alloc(12 + 4 * spec.ne.length + name.length);
  header.writeInt32LE(spec.ne.length, 0);
  header.writeInt32LE(name.length, 4);
  header.writeInt32LE(spec.type, 8);
  spec.ne.forEach((n, i) => header.writeInt32LE(n, 12 + 4 * i));
  name.copy(header, 12 + 4 * spec.ne.length);
  return header;
}
