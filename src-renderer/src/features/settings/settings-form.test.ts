import { describe, expect, it } from 'vitest';
import { settings } from '../../../../src-main/contract/settings';
import { languageSettingValues } from '../../../../src-main/common/whisper-languages';
import {
  changedFields,
  languageChoices,
  serverFieldError,
  toFormValues,
  toPatch,
} from './settings-form';

const defaults = settings.parse({});

describe('settings form', () => {
  it('shows automatic and unset values as empty fields, limits in hours and GiB', () => {
    expect(toFormValues(defaults)).toEqual({
      defaultModel: '',
      defaultLanguage: 'auto',
      vad: true,
      defaultPreset: 'broadcast',
      defaultSpeakers: { choice: 'off', count: '', min: '', max: '' },
      workers: '',
      threadsPerWorker: '',
      useGpu: true,
      maxQueuedJobs: '500',
      maxDurationHours: '12',
      maxSizeGiB: '20',
      ffmpegPath: '',
      ffprobePath: '',
      exportFolders: '',
    });
  });

  it('takes export folders one per line and refuses a relative one', () => {
    const ok = toPatch({ ...toFormValues(defaults), exportFolders: ' /srv/subs \n\n/home/a/b\n' });
    expect(ok.ok && changedFields(ok.patch, defaults)).toEqual({
      exportFolders: ['/srv/subs', '/home/a/b'],
    });
    const bad = toPatch({ ...toFormValues(defaults), exportFolders: 'subs' });
    expect(bad).toEqual({
      ok: false,
      errors: { exportFolders: expect.stringContaining('absolute folder path') },
    });
  });

  it('round-trips the defaults to an unchanged patch', () => {
    const result = toPatch(toFormValues(defaults));
    expect(result.ok).toBe(true);
    if (result.ok) expect(changedFields(result.patch, defaults)).toEqual({});
  });

  it('turns fields into the contract units and keeps only what changed', () => {
    const values = { ...toFormValues(defaults), workers: '2', maxDurationHours: '1.5' };
    const result = toPatch(values);
    expect(result.ok && changedFields(result.patch, defaults)).toEqual({
      workers: 2,
      mediaLimits: { maxDurationSec: 5400, maxBytes: 20 * 1024 ** 3 },
    });
  });

  it('names each invalid field with a message in the form’s own terms', () => {
    const result = toPatch({
      ...toFormValues(defaults),
      workers: '0',
      threadsPerWorker: '2.5',
      maxQueuedJobs: 'lots',
      maxSizeGiB: '-1',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        workers: expect.stringContaining('1 to 16'),
        threadsPerWorker: expect.stringContaining('1 to 64'),
        maxQueuedJobs: expect.stringContaining('100 000'),
        maxSizeGiB: expect.stringContaining('GiB'),
      },
    });
  });

  it('saves the default speakers in the contract’s shape', () => {
    const values = {
      ...toFormValues(defaults),
      defaultSpeakers: { choice: 'range' as const, count: '', min: '2', max: ' 5 ' },
    };
    const result = toPatch(values);
    expect(result.ok && changedFields(result.patch, defaults)).toEqual({
      defaultSpeakers: { mode: 'auto', min: 2, max: 5 },
    });
  });

  it('shows a speaker choice that does not hold together beside its field', () => {
    const result = toPatch({
      ...toFormValues(defaults),
      defaultSpeakers: { choice: 'exact', count: '40', min: '', max: '' },
    });
    expect(result).toEqual({
      ok: false,
      errors: { defaultSpeakers: expect.stringContaining('1 to 32') },
    });
  });

  it('refuses a language Whisper does not know, suggesting the code of a name', () => {
    const named = toPatch({ ...toFormValues(defaults), defaultLanguage: 'French' });
    expect(named).toEqual({
      ok: false,
      errors: { defaultLanguage: 'Use the code "fr" for French, not "french".' },
    });
    const unknown = toPatch({ ...toFormValues(defaults), defaultLanguage: 'klingon' });
    expect(unknown.ok).toBe(false);
    const code = toPatch({ ...toFormValues(defaults), defaultLanguage: ' FR ' });
    expect(code.ok && code.patch.defaultLanguage).toBe('fr');
  });

  it('refuses a default language the default (English-only) model cannot transcribe', () => {
    const models = [{ id: 'base.en', kind: 'whisper', status: 'ready', languages: ['en'] }];
    const result = toPatch({ ...toFormValues(defaults), defaultLanguage: 'de' }, { models });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.defaultLanguage).toMatch(/base\.en is English-only/);
    expect(toPatch({ ...toFormValues(defaults), defaultLanguage: 'en' }, { models }).ok).toBe(true);
  });

  it('offers the engine’s languages by name, their codes as values', () => {
    const choices = languageChoices();
    expect(choices[0]).toEqual({ value: 'auto', label: 'Detect automatically (auto)' });
    expect(choices).toContainEqual({ value: 'fr', label: 'French (fr)' });
    expect(choices).toHaveLength(languageSettingValues.length);
  });

  it('places a refusal of the engine beside the field it names', () => {
    expect(
      serverFieldError(
        'INVALID_ARGUMENT',
        'defaultLanguage: The default model base.en is English-only, so "de" would fail every transcription.',
      ),
    ).toEqual({
      field: 'defaultLanguage',
      message: 'The default model base.en is English-only, so "de" would fail every transcription.',
    });
    expect(serverFieldError('MODEL_NOT_READY', 'defaultModel: base is not installed.')).toEqual({
      field: 'defaultModel',
      message: 'base is not installed.',
    });
    expect(serverFieldError('MODEL_UNKNOWN', '"x" is not a Whisper model.')).toEqual({
      field: 'defaultModel',
      message: '"x" is not a Whisper model.',
    });
    expect(serverFieldError('DISK_FULL', 'The disk is full.')).toBeUndefined();
  });
});
