import {
  settings as settingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../contract/settings';
import { languageSettingProblem, languageSettingValues } from '../../common/whisper-languages';
import { EngineError } from '../errors';
import { parseOrThrow } from '../parse';
import type { SettingsRepo } from '../store/settings-repo';

export interface SettingsService {
  /** Current settings with defaults filled in. */
  get(): Settings;
  /** Validates and stores the given fields; returns the full settings. */
  update(patch: SettingsPatch): Settings;
  onChange(listener: (next: Settings) => void): () => void;
}

/**
 * The checks the schema cannot make: the language must be one Whisper knows (`auto` or its code).
 * Undefined when `settings` pass, else the EngineError naming the field and what it accepts.
 */
function engineProblem(settings: Settings): EngineError | undefined {
  const language = languageSettingProblem(settings.defaultLanguage);
  if (language === undefined) return undefined;
  return new EngineError('INVALID_ARGUMENT', `defaultLanguage: ${language}`, {
    details: { field: 'defaultLanguage', accepted: languageSettingValues },
  });
}

/**
 * Settings live in the `settings` table, one row per top-level key. Unknown or invalid stored
 * values (e.g. written by another version, or a language stored before languages were checked)
 * fall back to defaults rather than blocking start.
 */
export function createSettingsService(repo: SettingsRepo): SettingsService {
  const listeners = new Set<(next: Settings) => void>();

  const read = (): Settings => {
    const parsed = settingsSchema.safeParse(repo.all());
    if (parsed.success && !engineProblem(parsed.data)) return parsed.data;
    // Keep the valid keys and default the rest, one key at a time.
    const stored = repo.all();
    const defaults = settingsSchema.parse({});
    const merged: Record<string, unknown> = { ...defaults };
    for (const key of Object.keys(defaults) as (keyof Settings)[]) {
      const one = settingsSchema.safeParse({ ...defaults, [key]: stored[key] });
      if (one.success && !engineProblem(one.data)) merged[key] = one.data[key];
    }
    return settingsSchema.parse(merged);
  };

  return {
    get: read,
    update(patch) {
      const next = parseOrThrow(settingsSchema, { ...read(), ...patch }, 'setting');
      const problem = engineProblem(next);
      if (problem) throw problem;
      for (const key of Object.keys(patch) as (keyof Settings)[]) {
        repo.set(key, next[key]);
      }
      for (const listener of listeners) listener(next);
      return next;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
