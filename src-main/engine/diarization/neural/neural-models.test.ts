import { describe, expect, it } from 'vitest';
import type { ModelStatus } from '../../models/model-manager';
import { readyNeuralModels } from './neural-models';

const model = (id: string, kind: ModelStatus['kind'], status: ModelStatus['status'] = 'ready') =>
  ({ id, kind, status, path: status === 'ready' ? `/models/${id}.onnx` : null }) as ModelStatus;
const pick = (list: ModelStatus[]) =>
  readyNeuralModels({ list: () => list }, (id) => `sha-of-${id}`);

describe('readyNeuralModels', () => {
  it('needs a ready model of each kind', () => {
    expect(pick([model('seg', 'segmentation')])).toBeNull();
    expect(pick([model('seg', 'segmentation'), model('emb', 'embedding', 'missing')])).toBeNull();
    expect(pick([model('emb', 'embedding'), model('whisper-base', 'whisper')])).toBeNull();
  });

  it('prefers pyannote-segmentation-3.0, then takes the first ready ones in list order', () => {
    const list = [
      model('pyannote-segmentation-3.0', 'segmentation', 'missing'),
      model('wespeaker-resnet34-lm', 'embedding', 'corrupt'),
      model('3dspeaker-eres2net-base', 'embedding'),
      model('my-segmentation', 'segmentation'),
      model('my-embedding', 'embedding'),
    ];
    expect(pick(list)).toEqual({
      segmentation: {
        id: 'my-segmentation',
        path: '/models/my-segmentation.onnx',
        sha256: 'sha-of-my-segmentation',
      },
      embedding: {
        id: '3dspeaker-eres2net-base',
        path: '/models/3dspeaker-eres2net-base.onnx',
        sha256: 'sha-of-3dspeaker-eres2net-base',
      },
    });
    list[0] = model('pyannote-segmentation-3.0', 'segmentation');
    expect(pick(list)?.segmentation.id).toBe('pyannote-segmentation-3.0');
  });
});
