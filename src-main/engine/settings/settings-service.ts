import {
  settings as settingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../contract/settings';
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
 * Settings live in the `settings` table, one row per top-level key. Unknown or invalid stored
 * values (e.g. written by another version) fall back to defaults rather than blocking start.
 */
export function createSettingsService(repo: SettingsRepo): SettingsService {
  const listeners = new Set<(next: Settings) => void>();

  const read = (): Settings => {
    const parsed = settingsSchema.safeParse(repo.all());
    if (parsed.success) return parsed.data;
    // Keep the valid keys and default the rest, one key at a time.
    const stored = repo.all();
    const defaults = settingsSchema.parse({});
    const merged: Record<string, unknown> = { ...defaults };
    for (const key of Object.keys(defaults) as (keyof Settings)[]) {
      const one = settingsSchema.safeParse({ ...defaults, [key]: stored[key] });
      if (one.success) merged[key] = one.data[key];
    }
    return settingsSchema.parse(merged);
  };

  return {
    get: read,
    update(patch) {
      const next = parseOrThrow(settingsSchema, { ...read(), ...patch }, 'setting');
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
