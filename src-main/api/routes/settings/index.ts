import { stat } from 'node:fs/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponse } from '../../../contract/errors';
import {
  englishOnlyConflict,
  englishOnlyProblem,
  type LanguageModelFacts,
} from '../../../common/whisper-languages';
import {
  settings,
  settingsPatch,
  type Settings,
  type SettingsPatch,
} from '../../../contract/settings';
import { EngineError } from '../../../engine/errors';
import { checkLocalPath } from '../../../engine/local-path';
import { checkBinary } from '../../../engine/media/ffmpeg-tools';

const toolSettings = [
  ['ffmpegPath', 'ffmpeg'],
  ['ffprobePath', 'ffprobe'],
] as const;

/** A path as shown in a message: long ones cut, so a hostile value is not echoed in full. */
const shown = (path: string) => (path.length > 200 ? `${path.slice(0, 200)}…` : path);

/**
 * A new ffmpeg or ffprobe path must be an absolute path to that tool, checked the way the engine
 * will use it (a regular executable file that runs `-version` as that tool). Refused here with 400
 * rather than stored and failing every later media request. A value that is not changing is not
 * checked again, so a tool uninstalled since does not block saving other settings.
 */
async function checkToolPaths(patch: SettingsPatch, current: SettingsPatch): Promise<void> {
  for (const [key, tool] of toolSettings) {
    const value = patch[key];
    if (value === undefined || value === null || value === current[key]) continue;
    const remedy = `give the absolute path of the ${tool} executable (e.g. /usr/bin/${tool}), or null to search ${tool.toUpperCase()}_PATH and PATH.`;
    checkLocalPath(value, { field: key });
    const problem = await checkBinary(tool, value);
    if (problem !== undefined) {
      throw new EngineError('INVALID_ARGUMENT', `${key} ${shown(value)} ${problem}; ${remedy}`, {
        details: { field: key },
      });
    }
  }
}

/**
 * A newly allowed export folder must be an existing folder named by an absolute path of this
 * machine (no "..", no NUL): export jobs may write anywhere inside it (export-target.ts).
 */
async function checkExportFolders(patch: SettingsPatch, current: SettingsPatch): Promise<void> {
  for (const folder of patch.exportFolders ?? []) {
    if (current.exportFolders?.includes(folder)) continue;
    checkLocalPath(folder, { field: 'export folder' });
    const found = await stat(folder).catch(() => undefined);
    if (!found?.isDirectory()) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `The export folder ${shown(folder)} is not an existing folder. Create it first, or give the absolute path of a folder that exists.`,
        { details: { field: 'exportFolders' } },
      );
    }
  }
}

/**
 * A default language the default model cannot transcribe is refused (an English-only model fails
 * every job in another language). Checked when either setting changes.
 */
function checkLanguageForModel(
  patch: SettingsPatch,
  current: Settings,
  models: readonly LanguageModelFacts[],
): void {
  if (patch.defaultLanguage === undefined && patch.defaultModel === undefined) return;
  const language = patch.defaultLanguage ?? current.defaultLanguage;
  const modelId = patch.defaultModel === undefined ? current.defaultModel : patch.defaultModel;
  const conflict = englishOnlyConflict(language, modelId, models);
  if (conflict === undefined) return;
  const field = patch.defaultLanguage === undefined ? 'defaultModel' : 'defaultLanguage';
  throw new EngineError('INVALID_ARGUMENT', `${field}: ${englishOnlyProblem(conflict, language)}`, {
    details: {
      field,
      modelId: conflict,
      ...(field === 'defaultLanguage' ? { accepted: ['auto', 'en'] } : {}),
    },
  });
}

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;

  app.get('/settings', { schema: { response: { 200: settings } } }, () => engine.settings.get());

  // Also how the default model is chosen: `{ "defaultModel": "whisper-base.en" }`.
  app.patch(
    '/settings',
    {
      schema: {
        body: settingsPatch,
        response: { 200: settings, 400: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    },
    async (request) => {
      const { defaultModel } = request.body;
      if (defaultModel && engine.models.get(defaultModel)?.kind !== 'whisper') {
        throw new EngineError(
          'MODEL_UNKNOWN',
          `"${defaultModel}" is not a Whisper model in the catalog or the library.`,
          { details: { field: 'defaultModel', modelId: defaultModel } },
        );
      }
      const chosen = defaultModel ? engine.models.get(defaultModel) : undefined;
      if (
        chosen &&
        defaultModel !== engine.settings.get().defaultModel &&
        chosen.status !== 'ready'
      ) {
        // Every transcription that names no model would fail until it is installed.
        throw new EngineError(
          'MODEL_NOT_READY',
          `defaultModel: ${chosen.id} is not installed, so every transcription would fail; install it first, or leave the default automatic.`,
          {
            details: {
              field: 'defaultModel',
              modelId: chosen.id,
              fix: chosen.source === 'catalog' ? 'download-model' : 'import-model',
            },
          },
        );
      }
      checkLanguageForModel(request.body, engine.settings.get(), engine.models.list());
      await checkToolPaths(request.body, engine.settings.get());
      await checkExportFolders(request.body, engine.settings.get());
      return engine.settings.update(request.body);
    },
  );
};
