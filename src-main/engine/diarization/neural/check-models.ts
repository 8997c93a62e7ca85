/**
 * Checks the two diarization models in TypeScript before sherpa-onnx sees them. sherpa-onnx
 * ends the whole process (exit, SIGSEGV) on a model that lacks a metadata key it reads or holds
 * a value it does not support, so every such key is checked here first and a bad file is
 * refused with MODEL_LOAD_FAILED, saying which key and what to do. What cannot be checked this
 * cheaply (a damaged graph) still crashes the worker: see diarization-service.ts.
 */
import { basename } from 'node:path';
import { EngineError } from '../../errors';
import { NotOnnxError, readOnnxSummary } from './onnx-metadata';
import type { Fix } from '../../../common/remedies';

export type DiarizationModelRole = 'segmentation' | 'embedding';

/** The sample rate of the audio the engine decodes, and so of the models it can use. */
const SAMPLE_RATE = 16_000;

/** Integer keys sherpa-onnx reads from a pyannote segmentation model (each must be > 0). */
const SEGMENTATION_KEYS = [
  'sample_rate',
  'window_size',
  'receptive_field_size',
  'receptive_field_shift',
  'num_speakers',
  'powerset_max_classes',
  'num_classes',
] as const;

/** Frameworks whose embedding models sherpa-onnx's diarization reads with these keys. */
const EMBEDDING_FRAMEWORKS = ['wespeaker', '3d-speaker'];

const describeRole = (role: DiarizationModelRole) =>
  role === 'segmentation' ? 'speaker-segmentation' : 'speaker-embedding';

/** The remedy (worded by each face, see src-main/common/remedies.ts): a good copy of the model. */
const fix: Fix = 'redownload-model';

function refuse(role: DiarizationModelRole, path: string, problem: string, key?: string) {
  return new EngineError(
    'MODEL_LOAD_FAILED',
    `The ${describeRole(role)} model ${basename(path)} ${problem}; a model exported for sherpa-onnx is needed.`,
    { details: { path, role, fix, ...(key ? { key } : {}) } },
  );
}

async function metadataOf(role: DiarizationModelRole, path: string) {
  try {
    const summary = await readOnnxSummary(path);
    if (!summary.hasGraph) throw new NotOnnxError('it has no graph');
    return summary.metadata;
  } catch (error) {
    if (error instanceof NotOnnxError) {
      throw refuse(role, path, `is not an ONNX model (${error.message})`);
    }
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw refuse(
      role,
      path,
      missing
        ? 'is missing from the models folder'
        : `cannot be read (${(error as Error).message})`,
    );
  }
}

function missingKey(role: DiarizationModelRole, path: string, key: string) {
  return refuse(
    role,
    path,
    `lacks the metadata key "${key}" that sherpa-onnx needs, so it is not a model exported for sherpa-onnx or it is damaged`,
    key,
  );
}

/** The value of an integer key; MODEL_LOAD_FAILED when it is absent or below `min`. */
function integerKey(
  role: DiarizationModelRole,
  path: string,
  metadata: Record<string, string>,
  key: string,
  min = 1,
): number {
  const raw = metadata[key];
  if (raw === undefined || raw.trim() === '') throw missingKey(role, path, key);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw refuse(role, path, `has "${raw}" for "${key}", which sherpa-onnx cannot use`, key);
  }
  return value;
}

/** Checks a pyannote segmentation model; resolves when sherpa-onnx can load it safely. */
export async function checkSegmentationModel(path: string): Promise<void> {
  const role = 'segmentation';
  const metadata = await metadataOf(role, path);
  const value = Object.fromEntries(
    SEGMENTATION_KEYS.map((key) => [key, integerKey(role, path, metadata, key)]),
  ) as Record<(typeof SEGMENTATION_KEYS)[number], number>;
  if (value.sample_rate !== SAMPLE_RATE) {
    throw refuse(role, path, `expects ${value.sample_rate} Hz audio, not ${SAMPLE_RATE} Hz`);
  }
  // sherpa-onnx maps the powerset classes for one or two simultaneous speakers and exits on more.
  if (value.powerset_max_classes > 2) {
    throw refuse(
      role,
      path,
      `has powerset_max_classes ${value.powerset_max_classes}; sherpa-onnx supports at most 2`,
      'powerset_max_classes',
    );
  }
  const n = value.num_speakers;
  const classes = 1 + n + (value.powerset_max_classes === 2 ? (n * (n - 1)) / 2 : 0);
  if (value.num_classes !== classes) {
    throw refuse(
      role,
      path,
      `has num_classes ${value.num_classes}, but ${n} speakers need ${classes}`,
      'num_classes',
    );
  }
}

/** Checks a WeSpeaker or 3D-Speaker embedding model; resolves when sherpa-onnx can load it. */
export async function checkEmbeddingModel(path: string): Promise<void> {
  const role = 'embedding';
  const metadata = await metadataOf(role, path);
  const framework = metadata.framework;
  if (!framework) throw missingKey(role, path, 'framework');
  if (!EMBEDDING_FRAMEWORKS.includes(framework)) {
    throw refuse(
      role,
      path,
      `is a "${framework}" model; diarization here takes ${EMBEDDING_FRAMEWORKS.join(' or ')} models`,
      'framework',
    );
  }
  integerKey(role, path, metadata, 'output_dim');
  integerKey(role, path, metadata, 'sample_rate');
  integerKey(role, path, metadata, 'normalize_samples', 0);
  if (!metadata.language) throw missingKey(role, path, 'language');
}

/** Both models of a diarization, checked in parallel. */
export async function checkDiarizationModels(paths: {
  segmentation: string;
  embedding: string;
}): Promise<void> {
  await Promise.all([
    checkSegmentationModel(paths.segmentation),
    checkEmbeddingModel(paths.embedding),
  ]);
}
