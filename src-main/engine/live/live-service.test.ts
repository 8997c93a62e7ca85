import { describe, expect, it } from 'vitest';
import type { ModelStatus } from '../../contract/models';
import type { Settings } from '../../contract/settings';
import { EngineError, isEngineError } from '../errors';
import type { LiveOutcome } from './live-session';
import { createLiveService, type LiveServiceDeps } from './live-service';

const model = (id: string, status: ModelStatus['status'], kind: ModelStatus['kind'] = 'whisper') =>
  ({ id, kind, status }) as ModelStatus;

function service(models: ModelStatus[], defaultModel: string | null = null) {
  const deps: LiveServiceDeps = {
    whisper: {
      transcribe: () => Promise.reject(new Error('no audio is sent in these tests')),
      detectSpeech: () => Promise.reject(new Error('no audio is sent in these tests')),
    },
    models: {
      get: (id) => models.find((m) => m.id === id),
      list: () => models,
      resolvePath: (id) => {
        if (models.find((m) => m.id === id)?.status !== 'ready') {
          throw new EngineError('MODEL_NOT_READY', `${id} is not downloaded`);
        }
        return `/models/${id}.bin`;
      },
    },
    settings: { get: () => ({ defaultModel }) as Settings },
    maxSessions: 2,
  };
  return createLiveService(deps);
}

const callbacks = (outcomes: LiveOutcome[] = []) => ({
  onEvent: () => {},
  onDone: (outcome: LiveOutcome) => outcomes.push(outcome),
});

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isEngineError(error) ? error.code : String(error);
  }
  return 'no error';
};

describe('the live service', () => {
  const models = [
    model('vad', 'ready', 'vad'),
    model('missing', 'missing'),
    model('first', 'ready'),
    model('second', 'ready'),
  ];

  it('uses the default model, else the first ready Whisper model, and says when the default is not ready', () => {
    expect(service(models, 'second').open(callbacks()).modelId).toBe('second');
    expect(service(models).open(callbacks()).modelId).toBe('first');
    expect(codeOf(() => service(models, 'missing').open(callbacks()))).toBe('MODEL_NOT_READY');
  });

  it('refuses a bad model or language before any session starts', () => {
    const live = service(models);
    expect(codeOf(() => live.open({ ...callbacks(), modelId: 'nope' }))).toBe('MODEL_UNKNOWN');
    expect(codeOf(() => live.open({ ...callbacks(), modelId: 'missing' }))).toBe('MODEL_NOT_READY');
    expect(codeOf(() => live.open({ ...callbacks(), modelId: 'vad' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => live.open({ ...callbacks(), language: 'klingon' }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => service([model('missing', 'missing')]).open(callbacks()))).toBe(
      'MODEL_NOT_READY',
    );
    expect(live.activeSessions).toBe(0);
    expect(live.open({ ...callbacks(), language: 'German' }).language).toBe('de');
  });

  it('limits sessions at once, frees a slot when one closes, and ends all at shutdown', async () => {
    const live = service(models);
    const outcomes: LiveOutcome[] = [];
    const a = live.open(callbacks(outcomes));
    live.open(callbacks(outcomes));
    expect(codeOf(() => live.open(callbacks()))).toBe('QUEUE_FULL');
    a.close();
    expect(live.activeSessions).toBe(1);
    live.open(callbacks(outcomes));
    await live.close();
    expect(live.activeSessions).toBe(0);
    expect(outcomes).toHaveLength(2);
    expect(outcomes.every((o) => !o.ok && o.error.code === 'SHUTTING_DOWN')).toBe(true);
    expect(codeOf(() => live.open(callbacks()))).toBe('SHUTTING_DOWN');
  });
});
