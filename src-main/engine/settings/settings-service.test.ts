import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import { openDatabase } from '../store/database';
import { createSettingsRepo } from '../store/settings-repo';
import { createSettingsService } from './settings-service';

const setup = () => {
  const repo = createSettingsRepo(openDatabase(':memory:'));
  return { repo, service: createSettingsService(repo) };
};

describe('settings service', () => {
  it('fills defaults on an empty library', () => {
    const { service } = setup();
    expect(service.get()).toEqual({
      ffmpegPath: null,
      ffprobePath: null,
      mediaLimits: { maxDurationSec: 43200, maxBytes: 21474836480 },
      defaultModel: null,
      defaultLanguage: 'auto',
      vad: true,
      defaultPreset: 'broadcast',
      defaultSpeakers: { mode: 'off' },
      workers: null,
      threadsPerWorker: null,
      useGpu: true,
      maxQueuedJobs: 500,
      exportFolders: [],
    });
  });

  it('stores a valid patch, notifies listeners and keeps other keys', () => {
    const { service } = setup();
    const seen: unknown[] = [];
    service.onChange((next) => seen.push(next.defaultModel));
    service.update({ defaultModel: 'whisper-base' });
    service.update({ mediaLimits: { maxDurationSec: 60, maxBytes: 1000 } });
    expect(service.get()).toMatchObject({
      defaultModel: 'whisper-base',
      mediaLimits: { maxDurationSec: 60, maxBytes: 1000 },
    });
    expect(seen).toEqual(['whisper-base', 'whisper-base']);
  });

  it('refuses an invalid value with a message naming the setting, storing nothing', () => {
    const { service, repo } = setup();
    let caught: unknown;
    try {
      service.update({ mediaLimits: { maxDurationSec: -5, maxBytes: 10 } });
    } catch (error) {
      caught = error;
    }
    expect(isEngineError(caught, 'INVALID_ARGUMENT')).toBe(true);
    expect((caught as Error).message).toMatch(/mediaLimits\.maxDurationSec/);
    expect(repo.all()).toEqual({});
  });

  it('falls back to the default for a stored value it cannot read, keeping the rest', () => {
    const { service, repo } = setup();
    repo.set('defaultModel', 'whisper-small');
    repo.set('mediaLimits', 'garbage');
    expect(service.get().defaultModel).toBe('whisper-small');
    expect(service.get().mediaLimits.maxDurationSec).toBe(43200);
  });

  it('refuses a language Whisper does not know, and reads one stored earlier as auto', () => {
    const { service, repo } = setup();
    expect(() => service.update({ defaultLanguage: 'french' })).toThrow(/defaultLanguage.*"fr"/);
    expect(repo.all()).toEqual({});
    repo.set('defaultLanguage', 'french');
    repo.set('defaultModel', 'whisper-small');
    expect(service.get()).toMatchObject({ defaultLanguage: 'auto', defaultModel: 'whisper-small' });
    expect(service.update({ defaultLanguage: 'de' }).defaultLanguage).toBe('de');
  });
});
