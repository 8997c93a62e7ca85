import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import {
  defaultThreads,
  parseLoadModelOptions,
  parseTranscribeParams,
  resolveLanguage,
  type ParamsContext,
  type WhisperDecodeParams,
} from './params';
import { fitPrompt } from './prompt';

// A slice of whisper.cpp's language table (the addon supplies the full one at run time).
const languages = [
  { id: 0, code: 'en', name: 'english' },
  { id: 2, code: 'de', name: 'german' },
  { id: 6, code: 'fr', name: 'french' },
];
const multi: ParamsContext = { languages, multilingual: true, audioMs: 11_000 };
const englishOnly: ParamsContext = { ...multi, multilingual: false };

function invalid(run: () => unknown, pattern: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(isEngineError(error, 'INVALID_ARGUMENT'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('parseTranscribeParams', () => {
  it('defaults to whisper_full_default_params(GREEDY)', () => {
    expect(parseTranscribeParams(undefined, multi)).toEqual({
      language: 'en',
      translate: false,
      carryInitialPrompt: false,
      threads: defaultThreads(),
      strategy: 'greedy',
      bestOf: 5,
      beamSize: 5,
      temperature: 0,
      temperatureInc: 0.2,
      noSpeechThold: 0.6,
      logprobThold: -1,
      entropyThold: 2.4,
      tokenTimestamps: false,
      tokenTimestampThreshold: 0.01,
      maxLen: 0,
      splitOnWord: false,
      maxTokens: 0,
      audioCtx: 0,
      noContext: true,
      noTimestamps: false,
      singleSegment: false,
      suppressBlank: true,
      suppressNonSpeechTokens: false,
      offsetMs: 0,
      durationMs: 0,
      vad: null,
    });
    expect(defaultThreads()).toBeGreaterThanOrEqual(1);
    expect(defaultThreads()).toBeLessThanOrEqual(4);
  });

  it('accepts language codes, names and auto, normalised to the code', () => {
    expect(parseTranscribeParams({ language: 'DE' }, multi).language).toBe('de');
    expect(parseTranscribeParams({ language: 'german' }, multi).language).toBe('de');
    expect(parseTranscribeParams({ language: 'auto' }, multi).language).toBe('auto');
    expect(resolveLanguage(' fr ', languages)).toBe('fr');
  });

  it('rejects an unknown language before anything native runs', () => {
    invalid(() => parseTranscribeParams({ language: 'xx' }, multi), /Unknown language "xx"/);
  });

  it('keeps English-only models to English', () => {
    expect(parseTranscribeParams({ language: 'auto' }, englishOnly).language).toBe('en');
    expect(parseTranscribeParams({ language: 'en' }, englishOnly).language).toBe('en');
    invalid(() => parseTranscribeParams({ language: 'de' }, englishOnly), /English-only/);
    invalid(() => parseTranscribeParams({ translate: true }, englishOnly), /cannot translate/);
  });

  it('rejects bad numbers with the option name', () => {
    invalid(() => parseTranscribeParams({ threads: 0 }, multi), / at threads:/);
    invalid(() => parseTranscribeParams({ threads: 1.5 }, multi), / at threads:/);
    invalid(() => parseTranscribeParams({ bestOf: 9 }, multi), / at bestOf:/);
    invalid(() => parseTranscribeParams({ beamSize: 0 }, multi), / at beamSize:/);
    invalid(() => parseTranscribeParams({ temperature: -0.1 }, multi), / at temperature:/);
    invalid(
      () => parseTranscribeParams({ noSpeechThold: Number.NaN }, multi),
      / at noSpeechThold:/,
    );
    invalid(() => parseTranscribeParams({ offsetMs: -1 }, multi), / at offsetMs:/);
    // The encoder has 1500 positions (30 s); a larger context would read past them.
    invalid(() => parseTranscribeParams({ audioCtx: 1501 }, multi), / at audioCtx:/);
    invalid(() => parseTranscribeParams({ offsetMs: 11_000 }, multi), /past the end of the audio/);
  });

  it('rejects unknown options instead of ignoring them', () => {
    invalid(() => parseTranscribeParams({ lang: 'de' } as WhisperDecodeParams, multi), /lang/);
  });

  it('turns token timestamps on when maxLen asks whisper.cpp to split', () => {
    expect(parseTranscribeParams({ maxLen: 40 }, multi).tokenTimestamps).toBe(true);
    expect(parseTranscribeParams({ maxLen: 0 }, multi).tokenTimestamps).toBe(false);
  });

  it('fills VAD defaults from whisper_vad_default_params()', () => {
    expect(parseTranscribeParams({ vad: { modelPath: '/m/silero.bin' } }, multi).vad).toEqual({
      modelPath: '/m/silero.bin',
      threshold: 0.5,
      minSpeechDurationMs: 250,
      minSilenceDurationMs: 100,
      speechPadMs: 30,
      samplesOverlap: 0.1,
    });
    expect(parseTranscribeParams({ vad: false }, multi).vad).toBeNull();
    invalid(() => parseTranscribeParams({ vad: { modelPath: '' } }, multi), /vad\.modelPath/);
    invalid(
      () => parseTranscribeParams({ vad: { modelPath: 'm', threshold: 1 } }, multi),
      /vad\.threshold/,
    );
  });
});

describe('parseLoadModelOptions', () => {
  it('defaults to whisper_context_default_params()', () => {
    expect(parseLoadModelOptions({ path: 'm.bin' }).native).toEqual({
      useGpu: true,
      gpuDevice: 0,
      flashAttn: true,
      dtw: null,
    });
  });

  it('chooses the DTW preset from the model unless one is named, and drops flash attention', () => {
    expect(parseLoadModelOptions({ path: 'm.bin', dtw: true }).native).toMatchObject({
      dtw: 'auto',
      flashAttn: false,
    });
    expect(parseLoadModelOptions({ path: 'm.bin', dtw: 'base.en' }).native.dtw).toBe('base.en');
    invalid(
      () => parseLoadModelOptions({ path: 'm.bin', dtw: true, flashAttn: true }),
      /flash attention/,
    );
    invalid(() => parseLoadModelOptions({ path: 'm.bin', dtw: 'huge' as 'tiny' }), / at dtw:/);
  });

  it('rejects an empty path', () => {
    invalid(() => parseLoadModelOptions({ path: '' }), / at path:/);
  });
});

describe('the initial prompt', () => {
  it('is cut to Whisper’s prompt budget before anything native sees it, keeping the end', () => {
    const long = Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(' ');
    const { initialPrompt } = parseTranscribeParams({ initialPrompt: long }, multi);
    expect(initialPrompt).toBe(fitPrompt(long));
    expect(initialPrompt!.length).toBeLessThan(2000);
    expect(initialPrompt!.endsWith('w19999')).toBe(true);
    expect(parseTranscribeParams({ initialPrompt: 'Kubernetes' }, multi).initialPrompt).toBe(
      'Kubernetes',
    );
    expect(parseTranscribeParams({}, multi)).not.toHaveProperty('initialPrompt');
  });
});
