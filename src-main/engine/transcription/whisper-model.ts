import type { TranscribeParamsInput, TranscribeRequestParams } from '../../contract/jobs';
import { EngineError } from '../errors';
import type { ModelManager, ModelStatus } from '../models/model-manager';
import type { Fix } from '../../common/remedies';
import type { SettingsService } from '../settings/settings-service';

/**
 * The Whisper model to use when a request names none: the `defaultModel` setting, else the
 * first ready Whisper model in catalog order. MODEL_NOT_READY, saying how to get one, when the
 * setting names a model that is not ready or no model is ready at all.
 */
export function defaultWhisperModel(
  models: Pick<ModelManager, 'get' | 'list' | 'resolvePath'>,
  settings: Pick<SettingsService, 'get'>,
): string {
  const { defaultModel } = settings.get();
  if (defaultModel) {
    models.resolvePath(defaultModel); // MODEL_NOT_READY with its own download hint
    return defaultModel;
  }
  const whisperModels = models.list().filter((m) => m.kind === 'whisper');
  const ready = whisperModels.find((m) => m.status === 'ready');
  if (ready) return ready.id;
  const suggested = whisperModels.find((m) => m.recommended)?.id;
  throw new EngineError('MODEL_NOT_READY', 'No Whisper model is installed.', {
    details: {
      ...(suggested !== undefined && { modelId: suggested }),
      fix: 'install-whisper-model' satisfies Fix,
    },
  });
}

/**
 * Checks that `id` names a ready Whisper model and returns it: MODEL_UNKNOWN, INVALID_ARGUMENT
 * (another kind of model) or MODEL_NOT_READY (with the download hint) otherwise.
 */
export function readyWhisperModel(
  models: Pick<ModelManager, 'get' | 'resolvePath'>,
  id: string,
): ModelStatus {
  const model = models.get(id);
  if (!model) {
    throw new EngineError('MODEL_UNKNOWN', `There is no model "${id}".`, {
      details: { model: id, modelId: id, fix: 'list-models' satisfies Fix },
    });
  }
  if (model.kind !== 'whisper') {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `"${id}" is a ${model.kind} model, not a Whisper model.`,
    );
  }
  models.resolvePath(id); // MODEL_NOT_READY, saying what to do
  return model;
}

/**
 * A transcription request completed from the settings: the default model, language, VAD choice,
 * caption preset and speaker detection fill whatever the request leaves out.
 */
export function withTranscribeDefaults(
  request: TranscribeRequestParams,
  models: Pick<ModelManager, 'get' | 'list' | 'resolvePath'>,
  settings: Pick<SettingsService, 'get'>,
): TranscribeParamsInput {
  const defaults = settings.get();
  return {
    ...request,
    modelId: request.modelId ?? defaultWhisperModel(models, settings),
    language: request.language ?? defaults.defaultLanguage,
    vad: request.vad ?? defaults.vad,
    preset: request.preset ?? defaults.defaultPreset,
    speakers: request.speakers ?? defaults.defaultSpeakers,
  };
}
