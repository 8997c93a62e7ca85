import {
  englishOnlyConflict,
  englishOnlyProblem,
  languageSettingProblem,
  languageSettingValues,
  whisperLanguageName,
  type LanguageModelFacts,
} from '../../../../src-main/common/whisper-languages';
import {
  settingsPatch,
  type Settings,
  type SettingsPatch,
} from '../../../../src-main/contract/settings';
import {
  fromSpeakerForm,
  toSpeakerForm,
  type SpeakerFormValues,
} from '../speakers/speaker-options';

/** The settings form as its inputs hold it: text for numbers, '' for "automatic" / "none". */
export interface SettingsFormValues {
  defaultModel: string;
  defaultLanguage: string;
  vad: boolean;
  defaultPreset: Settings['defaultPreset'];
  defaultSpeakers: SpeakerFormValues;
  workers: string;
  threadsPerWorker: string;
  useGpu: boolean;
  maxQueuedJobs: string;
  /** mediaLimits.maxDurationSec in hours. */
  maxDurationHours: string;
  /** mediaLimits.maxBytes in GiB. */
  maxSizeGiB: string;
  ffmpegPath: string;
  ffprobePath: string;
  /** exportFolders, one per line. */
  exportFolders: string;
}
export type SettingsField = keyof SettingsFormValues;
export type FieldErrors = Partial<Record<SettingsField, string>>;

const GiB = 1024 ** 3;

/** Up to 3 decimals, without trailing zeros. */
const decimal = (value: number) => String(Math.round(value * 1000) / 1000);

export function toFormValues(settings: Settings): SettingsFormValues {
  return {
    defaultModel: settings.defaultModel ?? '',
    defaultLanguage: settings.defaultLanguage,
    vad: settings.vad,
    defaultPreset: settings.defaultPreset,
    defaultSpeakers: toSpeakerForm(settings.defaultSpeakers),
    workers: settings.workers === null ? '' : String(settings.workers),
    threadsPerWorker: settings.threadsPerWorker === null ? '' : String(settings.threadsPerWorker),
    useGpu: settings.useGpu,
    maxQueuedJobs: String(settings.maxQueuedJobs),
    maxDurationHours: decimal(settings.mediaLimits.maxDurationSec / 3600),
    maxSizeGiB: decimal(settings.mediaLimits.maxBytes / GiB),
    ffmpegPath: settings.ffmpegPath ?? '',
    ffprobePath: settings.ffprobePath ?? '',
    exportFolders: settings.exportFolders.join('\n'),
  };
}

/** The patch path a schema issue names → the form field that shows it. */
const fieldOfPath: Record<string, SettingsField> = {
  defaultModel: 'defaultModel',
  defaultLanguage: 'defaultLanguage',
  vad: 'vad',
  defaultPreset: 'defaultPreset',
  defaultSpeakers: 'defaultSpeakers',
  workers: 'workers',
  threadsPerWorker: 'threadsPerWorker',
  useGpu: 'useGpu',
  maxQueuedJobs: 'maxQueuedJobs',
  'mediaLimits.maxDurationSec': 'maxDurationHours',
  'mediaLimits.maxBytes': 'maxSizeGiB',
  ffmpegPath: 'ffmpegPath',
  ffprobePath: 'ffprobePath',
  exportFolders: 'exportFolders',
};

/** Human ranges for the number fields (the schema's own bounds, in the form's units). */
const numberHints: Partial<Record<SettingsField, string>> = {
  workers: 'Enter a whole number from 1 to 16, or leave it empty for automatic.',
  threadsPerWorker: 'Enter a whole number from 1 to 64, or leave it empty for automatic.',
  maxQueuedJobs: 'Enter a whole number from 1 to 100 000.',
  maxDurationHours: 'Enter a number of hours above 0.',
  maxSizeGiB: 'Enter a size in GiB above 0.',
  exportFolders: 'Enter one absolute folder path per line (e.g. /home/you/Subtitles).',
};

/** A number from text; NaN for text that is not one (so the schema rejects it). */
const parseNumber = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim()));
const optionalNumber = (text: string) => (text.trim() === '' ? null : parseNumber(text));
const optionalText = (text: string) => (text.trim() === '' ? null : text.trim());

/** The languages the engine accepts, for the language field's list: `French (fr)` → `fr`. */
export function languageChoices(): { value: string; label: string }[] {
  return languageSettingValues.map((code) => ({
    value: code,
    label: `${code === 'auto' ? 'Detect automatically' : (whisperLanguageName(code) ?? code)} (${code})`,
  }));
}

/**
 * The PATCH body for the form, validated against the contract and against what the engine
 * accepts (a language Whisper knows, and one the default model can transcribe — `models` are the
 * engine's, when known): either the patch, or an error message per field to show inline.
 */
export function toPatch(
  values: SettingsFormValues,
  { models = [] }: { models?: readonly LanguageModelFacts[] } = {},
): { ok: true; patch: SettingsPatch } | { ok: false; errors: FieldErrors } {
  const speakers = fromSpeakerForm(values.defaultSpeakers);
  const candidate = {
    defaultModel: optionalText(values.defaultModel),
    defaultLanguage: values.defaultLanguage.trim().toLowerCase() || 'auto',
    vad: values.vad,
    defaultPreset: values.defaultPreset,
    defaultSpeakers: speakers.ok ? speakers.value : undefined,
    workers: optionalNumber(values.workers),
    threadsPerWorker: optionalNumber(values.threadsPerWorker),
    useGpu: values.useGpu,
    maxQueuedJobs: parseNumber(values.maxQueuedJobs),
    mediaLimits: {
      maxDurationSec: Math.round(parseNumber(values.maxDurationHours) * 3600),
      maxBytes: Math.round(parseNumber(values.maxSizeGiB) * GiB),
    },
    ffmpegPath: optionalText(values.ffmpegPath),
    ffprobePath: optionalText(values.ffprobePath),
    exportFolders: values.exportFolders
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== ''),
  };
  const parsed = settingsPatch.safeParse(candidate);
  const language = candidate.defaultLanguage;
  const conflict = englishOnlyConflict(language, candidate.defaultModel, models);
  const languageError =
    languageSettingProblem(language) ??
    (conflict === undefined ? undefined : englishOnlyProblem(conflict, language));
  if (parsed.success && speakers.ok && languageError === undefined) {
    return { ok: true, patch: parsed.data };
  }
  const errors: FieldErrors = speakers.ok ? {} : { defaultSpeakers: speakers.error };
  if (languageError !== undefined) errors.defaultLanguage = languageError;
  for (const issue of parsed.error?.issues ?? []) {
    // The schema's own issues inside a field (e.g. defaultSpeakers.count) belong to that field.
    const path = issue.path.join('.');
    const field = fieldOfPath[path] ?? fieldOfPath[String(issue.path[0])];
    if (field && !errors[field]) errors[field] = numberHints[field] ?? issue.message;
  }
  return { ok: false, errors };
}

/**
 * The form field a refusal of the engine belongs to, with the message to show there: the engine
 * starts a settings message with the field it refuses (`defaultLanguage: …`); a model error is
 * the default model's. Undefined for an error that is no field's (it shows above Save).
 */
export function serverFieldError(
  code: string,
  message: string,
): { field: SettingsField; message: string } | undefined {
  const named = /^([\w.]+): (.+)$/s.exec(message);
  const field = named ? fieldOfPath[named[1]!] : undefined;
  if (field) return { field, message: named![2]! };
  if (code === 'MODEL_UNKNOWN' || code === 'MODEL_NOT_READY')
    return { field: 'defaultModel', message };
  return undefined;
}

/** Only the fields that differ from `saved`, so a save never rewrites what it did not touch. */
export function changedFields(patch: SettingsPatch, saved: Settings): SettingsPatch {
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (JSON.stringify(value) !== JSON.stringify(saved[key as keyof Settings])) {
      changed[key] = value;
    }
  }
  return changed as SettingsPatch;
}
