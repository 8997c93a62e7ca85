/**
 * Stand-ins for pyannote segmentation-3.0 and a WeSpeaker embedding model, generated at test
 * time: the same input and output names, shapes and metadata that sherpa-onnx reads, but the
 * "network" is a few hand-written ops, so their answer on the tone voices of tone-voices.ts is
 * known:
 * - a frame is speech when its mean energy exceeds SPEECH_FLOOR;
 * - speech is local speaker 0 ("dark") or 1 ("bright") by the share of its energy that survives
 *   a first difference (a high-pass filter);
 * - the embedding is the mean log-mel spectrum with its level removed, so two voices with
 *   different spectra get far-apart embeddings and one voice the same embedding each time.
 */
import { encodeBrokenGraph, encodeOnnxModel } from './onnx-writer';

/** pyannote segmentation-3.0's framing. */
export const SEGMENTATION = {
  sampleRate: 16_000,
  /** 10 s chunks. */
  windowSize: 160_000,
  /** Samples per output frame. */
  receptiveFieldSize: 991,
  /** Hop between output frames: 589 frames per chunk. */
  receptiveFieldShift: 270,
  numSpeakers: 3,
  powersetMaxClasses: 2,
  /** Non-speech, three single speakers, three pairs. */
  numClasses: 7,
} as const;

export const EMBEDDING = { featureDim: 80, outputDim: 192 } as const;

/** Mean-square energy a frame needs to count as speech (about -40 dBFS). */
const SPEECH_FLOOR = 1e-4;
/** High-pass energy share between "dark" and "bright" (about 1.4 kHz for a pure tone). */
const BRIGHT_SPLIT = 0.3;

/** Changes to a model's metadata for the error paths: a value replaces a key, null removes it. */
export type MetadataPatch = Record<string, string | number | null>;

function patched(
  base: Record<string, string | number>,
  patch: MetadataPatch = {},
): Record<string, string | number> {
  const out = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

const scalar = (name: string, value: number) => ({ name, dims: [1], data: Float32Array.of(value) });

/** The metadata sherpa-onnx reads from a pyannote segmentation model, as its export writes it. */
export function segmentationMetadata(patch?: MetadataPatch): Record<string, string | number> {
  const s = SEGMENTATION;
  return patched(
    {
      model_type: 'pyannote-segmentation-3.0',
      sample_rate: s.sampleRate,
      window_size: s.windowSize,
      receptive_field_size: s.receptiveFieldSize,
      receptive_field_shift: s.receptiveFieldShift,
      num_speakers: s.numSpeakers,
      powerset_max_classes: s.powersetMaxClasses,
      num_classes: s.numClasses,
      version: '1',
      model_author: 'transcription-studio tests (dummy)',
    },
    patch,
  );
}

/**
 * The metadata sherpa-onnx reads from a speaker-embedding model. No feature_normalize_type:
 * "global-mean" would subtract the time mean that this dummy's embedding is made of.
 */
export function embeddingMetadata(patch?: MetadataPatch): Record<string, string | number> {
  return patched(
    {
      framework: 'wespeaker',
      language: 'English',
      url: 'none (generated for tests)',
      comment: 'dummy: mean log-mel spectrum, level removed',
      sample_rate: 16_000,
      output_dim: EMBEDDING.outputDim,
      normalize_samples: 0,
    },
    patch,
  );
}

/** The dummy segmentation model: input `x` [N, 1, T], output `y` [N, frames, 7] log-softmax. */
export function segmentationModel(patch?: MetadataPatch): Uint8Array {
  const s = SEGMENTATION;
  const pool = { kernel_shape: [s.receptiveFieldSize], strides: [s.receptiveFieldShift] };
  return encodeOnnxModel({
    graphName: 'dummy_pyannote_segmentation',
    opset: 17,
    inputs: [{ name: 'x', dims: ['N', 1, 'T'] }],
    outputs: [{ name: 'y', dims: ['N', 'F', s.numClasses] }],
    initializers: [
      { name: 'diff_kernel', dims: [1, 1, 2], data: Float32Array.of(-1, 1) },
      scalar('speech_floor', SPEECH_FLOOR),
      scalar('bright_split', BRIGHT_SPLIT),
      scalar('eps', 1e-12),
      scalar('zero', 0),
      scalar('impossible', 100),
    ],
    nodes: [
      { op: 'Mul', inputs: ['x', 'x'], outputs: ['x2'] },
      { op: 'AveragePool', inputs: ['x2'], outputs: ['energy'], attributes: pool },
      // pads [1, 0] keep the length T, so both pooled tracks have the same number of frames
      { op: 'Conv', inputs: ['x', 'diff_kernel'], outputs: ['dx'], attributes: { pads: [1, 0] } },
      { op: 'Mul', inputs: ['dx', 'dx'], outputs: ['dx2'] },
      { op: 'AveragePool', inputs: ['dx2'], outputs: ['hf_energy'], attributes: pool },
      { op: 'Sub', inputs: ['energy', 'speech_floor'], outputs: ['speech'] },
      { op: 'Add', inputs: ['energy', 'eps'], outputs: ['energy_eps'] },
      { op: 'Div', inputs: ['hf_energy', 'energy_eps'], outputs: ['hf_share'] },
      { op: 'Sub', inputs: ['hf_share', 'bright_split'], outputs: ['bright'] },
      { op: 'Neg', inputs: ['bright'], outputs: ['dark'] },
      // a speaker's score is > 0 only when both hold; non-speech scores 0, the pairs never win
      { op: 'Min', inputs: ['speech', 'dark'], outputs: ['speaker0'] },
      { op: 'Min', inputs: ['speech', 'bright'], outputs: ['speaker1'] },
      { op: 'Mul', inputs: ['energy', 'zero'], outputs: ['non_speech'] },
      { op: 'Sub', inputs: ['non_speech', 'impossible'], outputs: ['never'] },
      {
        op: 'Concat',
        inputs: ['non_speech', 'speaker0', 'speaker1', 'never', 'never', 'never', 'never'],
        outputs: ['scores'],
        attributes: { axis: 1 },
      },
      {
        op: 'Transpose',
        inputs: ['scores'],
        outputs: ['frame_scores'],
        attributes: { perm: [0, 2, 1] },
      },
      { op: 'LogSoftmax', inputs: ['frame_scores'], outputs: ['y'], attributes: { axis: -1 } },
    ],
    metadata: segmentationMetadata(patch),
  });
}

/** The dummy embedding model: input `x` [N, T, 80] fbank, output `embedding` [N, 192]. */
export function embeddingModel(patch?: MetadataPatch): Uint8Array {
  const { featureDim, outputDim } = EMBEDDING;
  // Repeats the 80 band means to fill the 192 outputs, which keeps cosine geometry.
  const spread = new Float32Array(featureDim * outputDim);
  for (let j = 0; j < outputDim; j++) spread[(j % featureDim) * outputDim + j] = 1;
  return encodeOnnxModel({
    graphName: 'dummy_speaker_embedding',
    opset: 17,
    inputs: [{ name: 'x', dims: ['N', 'T', featureDim] }],
    outputs: [{ name: 'embedding', dims: ['N', outputDim] }],
    initializers: [{ name: 'spread', dims: [featureDim, outputDim], data: spread }],
    nodes: [
      {
        op: 'ReduceMean',
        inputs: ['x'],
        outputs: ['band_mean'],
        attributes: { axes: [1], keepdims: 0 },
      },
      {
        op: 'ReduceMean',
        inputs: ['band_mean'],
        outputs: ['level'],
        attributes: { axes: [1], keepdims: 1 },
      },
      { op: 'Sub', inputs: ['band_mean', 'level'], outputs: ['shape'] },
      { op: 'MatMul', inputs: ['shape', 'spread'], outputs: ['embedding'] },
    ],
    metadata: embeddingMetadata(patch),
  });
}

/** A segmentation "model" with good metadata and a graph that is not one (crashes sherpa). */
export const brokenSegmentationModel = (): Uint8Array => encodeBrokenGraph(segmentationMetadata());
