import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineRejection } from '../../test-support/engine-rejection';
import {
  embeddingMetadata,
  embeddingModel,
  segmentationMetadata,
  segmentationModel,
  type MetadataPatch,
} from './__fixtures__/dummy-models';
import { checkEmbeddingModel, checkSegmentationModel } from './check-models';
import { NotOnnxError, readOnnxSummary } from './onnx-metadata';

const dir = mkdtempSync(join(tmpdir(), 'studio-onnx-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const file = (bytes: Uint8Array | string) => {
  const path = join(dir, `model-${++files}.onnx`);
  writeFileSync(path, bytes);
  return path;
};
const stringValues = (metadata: Record<string, string | number>) =>
  Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)]));

describe('readOnnxSummary', () => {
  it('reads the metadata and sees the graph of a generated model', async () => {
    await expect(readOnnxSummary(file(segmentationModel()))).resolves.toEqual({
      hasGraph: true,
      metadata: stringValues(segmentationMetadata()),
    });
    const embedding = await readOnnxSummary(file(embeddingModel({ language: 'Deutsch' })));
    expect(embedding.metadata).toEqual(stringValues(embeddingMetadata({ language: 'Deutsch' })));
  });

  it('rejects files that are not protobuf messages', async () => {
    for (const bytes of ['', 'not a model', segmentationModel().subarray(0, 500)]) {
      await expect(readOnnxSummary(file(bytes))).rejects.toBeInstanceOf(NotOnnxError);
    }
  });
});

describe('checkSegmentationModel', () => {
  const check = (patch: MetadataPatch) => checkSegmentationModel(file(segmentationModel(patch)));

  it('accepts a model with the metadata sherpa-onnx reads', async () => {
    await expect(check({})).resolves.toBeUndefined();
  });

  it.each([
    'sample_rate',
    'window_size',
    'receptive_field_size',
    'receptive_field_shift',
    'num_speakers',
    'powerset_max_classes',
    'num_classes',
  ])('refuses a model without %s, naming the key and what to do', async (key) => {
    const error = await engineRejection(check({ [key]: null }), 'MODEL_LOAD_FAILED');
    expect(error.message).toContain(`lacks the metadata key "${key}"`);
    expect(error.details).toMatchObject({ fix: 'redownload-model' });
    expect(error.details).toMatchObject({ role: 'segmentation', key });
  });

  it('refuses values sherpa-onnx would exit on', async () => {
    const cases: [MetadataPatch, RegExp][] = [
      [{ powerset_max_classes: 3, num_classes: 8 }, /powerset_max_classes 3/],
      [{ num_classes: 6 }, /num_classes 6, but 3 speakers need 7/],
      [{ sample_rate: 8000 }, /expects 8000 Hz audio/],
      [{ window_size: 'ten seconds' }, /"ten seconds" for "window_size"/],
      [{ num_speakers: -1 }, /"-1" for "num_speakers"/],
    ];
    for (const [patch, message] of cases) {
      const error = await engineRejection(check(patch), 'MODEL_LOAD_FAILED');
      expect(error.message).toMatch(message);
    }
  });

  it('refuses a file that is missing or not an ONNX model', async () => {
    const missing = await engineRejection(
      checkSegmentationModel(join(dir, 'nope.onnx')),
      'MODEL_LOAD_FAILED',
    );
    expect(missing.message).toMatch(/nope\.onnx is missing from the models folder/);
    const text = await engineRejection(
      checkSegmentationModel(file('not a model')),
      'MODEL_LOAD_FAILED',
    );
    expect(text.message).toMatch(/is not an ONNX model/);
  });
});

describe('checkEmbeddingModel', () => {
  const check = (patch: MetadataPatch) => checkEmbeddingModel(file(embeddingModel(patch)));

  it('accepts WeSpeaker and 3D-Speaker models', async () => {
    await expect(check({})).resolves.toBeUndefined();
    await expect(check({ framework: '3d-speaker' })).resolves.toBeUndefined();
  });

  it.each(['framework', 'output_dim', 'sample_rate', 'normalize_samples', 'language'])(
    'refuses a model without %s',
    async (key) => {
      const error = await engineRejection(check({ [key]: null }), 'MODEL_LOAD_FAILED');
      expect(error.message).toContain(`speaker-embedding model`);
      expect(error.message).toContain(`lacks the metadata key "${key}"`);
      expect(error.details).toMatchObject({ role: 'embedding', key });
    },
  );

  it('refuses a framework the diarization does not read', async () => {
    const error = await engineRejection(check({ framework: 'nemo' }), 'MODEL_LOAD_FAILED');
    expect(error.message).toMatch(
      /is a "nemo" model; diarization here takes wespeaker or 3d-speaker/,
    );
  });
});
