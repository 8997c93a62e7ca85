import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { whisperLanguageName } from '../../../../src-main/common/whisper-languages';
import type { Settings } from '../../../../src-main/contract/settings';
import { ApiError } from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import { useToasts } from '../../app/toasts';
import { modelListQuery } from '../models/queries';
import { SpeakerOptionsField } from '../speakers/SpeakerOptionsField';
import { systemInfoQuery } from '../system/queries';
import { saveSettings } from './queries';
import {
  changedFields,
  languageChoices,
  serverFieldError,
  toFormValues,
  toPatch,
  type FieldErrors,
  type SettingsField,
  type SettingsFormValues,
} from './settings-form';

interface FieldProps {
  id: SettingsField;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: (aria: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby': string;
  }) => ReactNode;
}

/** A labelled input with its hint and its inline error, wired for screen readers. */
function Field({ id, label, hint, error, children }: FieldProps) {
  const inputId = `setting-${id}`;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      {children({
        id: inputId,
        'aria-invalid': error !== undefined,
        'aria-describedby': `${inputId}-hint ${inputId}-error`,
      })}
      {hint && (
        <span id={`${inputId}-hint`} className="field-hint">
          {hint}
        </span>
      )}
      <span id={`${inputId}-error`} className="field-error" role={error ? 'alert' : undefined}>
        {error}
      </span>
    </div>
  );
}

/** The language field's hint: the chosen language by name, and how to choose. */
function languageHint(value: string): string {
  const code = value.trim().toLowerCase();
  const name = code === 'auto' ? 'Detected per file' : whisperLanguageName(code);
  const how = 'A code from the list (type a name to find it), or auto to detect it per file.';
  return name ? `${name}. ${how}` : how;
}

/** The form's fields that an `<input type="text">` edits. */
type TextField = {
  [K in SettingsField]: string extends SettingsFormValues[K] ? K : never;
}[SettingsField];

/** The engine settings as a form; saves only what changed, shows errors beside their fields. */
export function SettingsForm({ saved }: { saved: Settings }) {
  const queryClient = useQueryClient();
  const models = useQuery(modelListQuery());
  const system = useQuery(systemInfoQuery());
  const [values, setValues] = useState<SettingsFormValues>(() => toFormValues(saved));
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useMutation({
    mutationFn: saveSettings,
    onSuccess: (next) => {
      queryClient.setQueryData(queryKeys.settings, next);
      void queryClient.invalidateQueries({ queryKey: queryKeys.system });
      setValues(toFormValues(next));
      useToasts.getState().show('success', 'Settings saved.');
    },
    onError: (error) => {
      const placed = error instanceof ApiError && serverFieldError(error.code, error.message);
      if (placed) setErrors({ [placed.field]: placed.message });
    },
  });

  const set = <K extends SettingsField>(field: K, value: SettingsFormValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors(({ [field]: _cleared, ...rest }) => rest);
  };
  /** A text input bound to a string field of the form, with its label, hint and error. */
  const textField = (
    field: TextField,
    {
      label,
      hint,
      ...input
    }: {
      label: string;
      hint?: string;
      inputMode?: 'numeric' | 'decimal';
      placeholder?: string;
      spellCheck?: boolean;
    },
  ) => (
    <Field id={field} label={label} error={shownErrors[field]} hint={hint}>
      {(aria) => (
        <input
          {...aria}
          {...input}
          type="text"
          value={values[field]}
          onChange={(event) => set(field, event.target.value)}
        />
      )}
    </Field>
  );
  // Checked as it is typed, against the contract and what the engine accepts (its languages,
  // what the default model can transcribe): the error shows beside its field, Save waits.
  const result = toPatch(values, { models: models.data?.models ?? [] });
  const changes = result.ok ? changedFields(result.patch, saved) : null;
  const dirty = changes === null || Object.keys(changes).length > 0;
  const shownErrors: FieldErrors = { ...(result.ok ? {} : result.errors), ...errors };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    if (changes && Object.keys(changes).length > 0) save.mutate(changes);
  };

  const whisper = (models.data?.models ?? []).filter(
    (m) => m.kind === 'whisper' && (m.status === 'ready' || m.id === values.defaultModel),
  );
  const plan = system.data?.whisper.plan;
  const serverError =
    save.error &&
    !(save.error instanceof ApiError && serverFieldError(save.error.code, save.error.message))
      ? save.error.message
      : null;

  return (
    <form className="settings-form" onSubmit={onSubmit} noValidate aria-label="Engine settings">
      <section className="card" aria-labelledby="settings-transcription">
        <h3 id="settings-transcription">Transcription</h3>
        <div className="field-grid">
          <Field
            id="defaultModel"
            label="Default model"
            error={shownErrors.defaultModel}
            hint="Used when a transcription names no model."
          >
            {(aria) => (
              <select
                {...aria}
                value={values.defaultModel}
                onChange={(event) => set('defaultModel', event.target.value)}
              >
                <option value="">Automatic (the first installed model)</option>
                {whisper.map((model) => (
                  <option key={model.id} value={model.id}>
                    {model.name}
                    {model.status === 'ready' ? '' : ' (not installed)'}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            id="defaultLanguage"
            label="Default language"
            error={shownErrors.defaultLanguage}
            hint={languageHint(values.defaultLanguage)}
          >
            {(aria) => (
              <>
                <input
                  {...aria}
                  type="text"
                  list="setting-defaultLanguage-list"
                  spellCheck={false}
                  autoComplete="off"
                  value={values.defaultLanguage}
                  onChange={(event) => set('defaultLanguage', event.target.value)}
                />
                <datalist id="setting-defaultLanguage-list">
                  {languageChoices().map((choice) => (
                    <option key={choice.value} value={choice.value} label={choice.label} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field
            id="defaultPreset"
            label="Default caption preset"
            error={shownErrors.defaultPreset}
            hint="How new transcripts are cut into captions."
          >
            {(aria) => (
              <select
                {...aria}
                value={values.defaultPreset}
                onChange={(event) =>
                  set('defaultPreset', event.target.value as SettingsFormValues['defaultPreset'])
                }
              >
                <option value="broadcast">Broadcast (2 lines of 42)</option>
                <option value="social">Social (1 short line)</option>
              </select>
            )}
          </Field>
          <SpeakerOptionsField
            id="setting-defaultSpeakers"
            label="Default speakers"
            values={values.defaultSpeakers}
            onChange={(next) => set('defaultSpeakers', next)}
            error={shownErrors.defaultSpeakers}
            hint="Who speaks when, for a transcription that does not say. Per channel needs a multi-channel recording."
          />
        </div>
        <div className="field">
          <label htmlFor="setting-vad" className="checkbox">
            <input
              id="setting-vad"
              type="checkbox"
              checked={values.vad}
              aria-describedby="setting-vad-hint"
              onChange={(event) => set('vad', event.target.checked)}
            />
            Skip silence (voice activity detection)
          </label>
          <span id="setting-vad-hint" className="field-hint">
            Faster, and fewer invented words in long pauses. Needs the Silero VAD model.
          </span>
        </div>
      </section>

      <section className="card" aria-labelledby="settings-performance">
        <h3 id="settings-performance">Performance</h3>
        {plan && <p className="muted small">Now: {plan.reason}.</p>}
        <div className="field-grid">
          {textField('workers', {
            label: 'Whisper workers',
            hint: 'Empty: decided from the hardware.',
            inputMode: 'numeric',
            placeholder: 'Automatic',
          })}
          {textField('threadsPerWorker', {
            label: 'Threads per worker',
            hint: 'Empty: decided from the hardware.',
            inputMode: 'numeric',
            placeholder: 'Automatic',
          })}
          <div className="field checkbox-field">
            <label htmlFor="setting-useGpu" className="checkbox">
              <input
                id="setting-useGpu"
                type="checkbox"
                checked={values.useGpu}
                aria-describedby="setting-useGpu-hint"
                onChange={(event) => set('useGpu', event.target.checked)}
              />
              Use the GPU when there is one
            </label>
            <span id="setting-useGpu-hint" className="field-hint">
              The CPU is the fallback.
            </span>
          </div>
        </div>
      </section>

      <section className="card" aria-labelledby="settings-limits">
        <h3 id="settings-limits">Limits</h3>
        <div className="field-grid">
          {textField('maxDurationHours', { label: 'Longest media (hours)', inputMode: 'decimal' })}
          {textField('maxSizeGiB', { label: 'Largest file (GiB)', inputMode: 'decimal' })}
          {textField('maxQueuedJobs', {
            label: 'Jobs that may wait',
            hint: 'More are refused until the queue drains.',
            inputMode: 'numeric',
          })}
        </div>
      </section>

      <section className="card" aria-labelledby="settings-tools">
        <h3 id="settings-tools">ffmpeg</h3>
        <div className="field-grid">
          {textField('ffmpegPath', {
            label: 'ffmpeg path',
            hint: system.data?.ffmpeg.ffmpegPath
              ? `Empty: found on the PATH (${system.data.ffmpeg.ffmpegPath}).`
              : 'Empty: searched on the PATH.',
            spellCheck: false,
            placeholder: 'Automatic',
          })}
          {textField('ffprobePath', {
            label: 'ffprobe path',
            spellCheck: false,
            placeholder: 'Automatic',
          })}
        </div>
      </section>

      <section className="card" aria-labelledby="settings-exports">
        <h3 id="settings-exports">Export folders</h3>
        <Field
          id="exportFolders"
          label="Folders export jobs may write to"
          error={shownErrors.exportFolders}
          hint={`One folder per line. Export jobs (from scripts and the API) always may write into the data folder's exports folder${system.data ? ` (${system.data.dataDir}/exports)` : ''}, and nowhere else unless the folder is listed here.`}
        >
          {(aria) => (
            <textarea
              {...aria}
              rows={3}
              spellCheck={false}
              placeholder="/home/you/Subtitles"
              value={values.exportFolders}
              onChange={(event) => set('exportFolders', event.target.value)}
            />
          )}
        </Field>
      </section>

      <div className="settings-actions">
        {serverError && (
          <p role="alert" className="alert">
            {serverError}
          </p>
        )}
        <button
          type="button"
          disabled={!dirty || save.isPending}
          onClick={() => {
            setValues(toFormValues(saved));
            setErrors({});
          }}
        >
          Discard changes
        </button>
        <button type="submit" className="primary" disabled={!dirty || !result.ok || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}
