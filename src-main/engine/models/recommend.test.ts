import { describe, expect, it } from 'vitest';
import { defaultCatalogPath, loadCatalog, type CatalogEntry } from './catalog';
import { estimatedSpeed, recommendWhisperModel, type MachineFacts } from './recommend';

const catalog = loadCatalog(defaultCatalogPath());
const entry = (id: string): CatalogEntry => {
  const found = catalog.models.find((m) => m.id === id);
  if (!found) throw new Error(`no catalog entry ${id}`);
  return found;
};

const cpu = (cores: number, memoryMb: number): MachineFacts => ({
  cores,
  threads: Math.min(cores, 8),
  memoryMb,
  gpu: null,
});

describe('recommendWhisperModel (the shipped catalog)', () => {
  it('recommends a small, fast model on a 2-core machine without a GPU, with the reason', () => {
    const machine = cpu(2, 8192);
    const advice = recommendWhisperModel(catalog.models, machine, 'en');
    const chosen = entry(advice?.id ?? '');
    // Not the catalog's 574 MB large-v3-turbo: a model this machine runs well faster than real time.
    expect(chosen.sizeBytes).toBeLessThan(200 * 1024 ** 2);
    expect(chosen.languages).toEqual(['en']);
    expect(advice?.speedFactor).toBe(estimatedSpeed(chosen.family ?? '', machine));
    expect(advice?.speedFactor).toBeGreaterThanOrEqual(5);
    expect(advice?.reason).toBe(
      `2 cores, no GPU: ${chosen.name} transcribes about ${Math.round(advice?.speedFactor ?? 0)}× ` +
        `faster than real time here (an hour of audio in about ${Math.round(60 / (advice?.speedFactor ?? 1))} min).`,
    );
  });

  it('recommends a multilingual model unless the language is English', () => {
    for (const language of ['auto', 'fr']) {
      const advice = recommendWhisperModel(catalog.models, cpu(2, 8192), language);
      expect(entry(advice?.id ?? '').languages).toEqual(['multi']);
    }
  });

  it('grows with the machine: more cores a bigger model, a GPU the large turbo model', () => {
    const rank = (id: string | undefined) =>
      ['tiny', 'base', 'small', 'medium', 'large-v3-turbo'].indexOf(entry(id ?? '').family ?? '');
    const two = recommendWhisperModel(catalog.models, cpu(2, 8192), 'en');
    const eight = recommendWhisperModel(catalog.models, cpu(8, 16384), 'en');
    const gpu = recommendWhisperModel(
      catalog.models,
      { cores: 8, threads: 4, memoryMb: 16384, gpu: { name: 'RTX 4060', freeMb: 7800 } },
      'auto',
    );
    expect(rank(eight?.id)).toBeGreaterThan(rank(two?.id));
    expect(entry(gpu?.id ?? '').family).toBe('large-v3-turbo');
    expect(gpu?.reason).toMatch(/^RTX 4060 \(7\.6 GB free\): /);
    expect(gpu?.machine).toEqual({ cores: 8, threads: 4, memoryMb: 16384, gpu: 'RTX 4060' });
  });

  it('keeps within the memory: half the RAM on the CPU, the free memory on a GPU', () => {
    const small = recommendWhisperModel(catalog.models, cpu(32, 1024), 'en');
    expect(entry(small?.id ?? '').memoryMb).toBeLessThanOrEqual(512);
    expect(small?.reason).toMatch(/a larger model would need more memory than the 1 GB here\.$/);
    const tightGpu = recommendWhisperModel(
      catalog.models,
      { cores: 4, threads: 4, memoryMb: 16384, gpu: { name: 'small GPU', freeMb: 1200 } },
      'auto',
    );
    expect(entry(tightGpu?.id ?? '').memoryMb).toBeLessThanOrEqual(1200);
  });

  it('falls back to the fastest model when none reaches the target speed', () => {
    const advice = recommendWhisperModel(catalog.models, cpu(1, 4096), 'en');
    expect(entry(advice?.id ?? '').family).toBe('tiny');
  });

  it('has nothing to recommend from a catalog without rated Whisper models', () => {
    const vadOnly = catalog.models.filter((m) => m.kind !== 'whisper');
    expect(recommendWhisperModel(vadOnly, cpu(2, 8192), 'en')).toBeUndefined();
  });
});
