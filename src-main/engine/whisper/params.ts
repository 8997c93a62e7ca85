/**
 * Options for loading a Whisper model and for one transcription, validated here, in TypeScript,
 * before anything reaches the native addon (house style 10). Defaults equal whisper.cpp 1.9.1's
 * `whisper_context_default_params()` and `whisper_full_default_params(GREEDY)` unless a comment
 * says why not. The addon receives the fully resolved object.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { EngineError } from '../errors';
import { parseOrThrow } from '../parse';
import { fitPrompt } from './prompt';

/** whisper.cpp's decoder limit (WHISPER_MAX_DECODERS): best-of and beam size may not exceed it. */
export const MAX_DECODERS = 8;

/** Alignment-head presets whisper.cpp ships for DTW token timestamps (one per OpenAI checkpoint). */
export const dtwPresets = [
  'tiny.en',
  'tiny',
  'base.en',
  'base',
  'small.en',
  'small',
  'medium.en',
  'medium',
  'large-v1',
  'large-v2',
  'large-v3',
  'large-v3-turbo',
] as const;
export type DtwPreset = (typeof dtwPresets)[number];

export interface LoadModelOptions {
  /** Path of a ggml-format Whisper model (`ggml-*.bin`). */
  path: string;
  /**
   * Use a GPU backend when this build has one (CUDA, Vulkan, Metal). CPU-only builds ignore it.
   * @default true
   */
  useGpu?: boolean;
  /**
   * Which GPU, counting only GPU devices, in the order `systemInfo().devices` lists them.
   * @default 0
   */
  gpuDevice?: number;
  /**
   * Flash attention in the encoder and decoder. whisper.cpp cannot combine it with DTW, so it
   * defaults to false when `dtw` is on, and asking for both is an error.
   * @default true (false with dtw)
   */
  flashAttn?: boolean;
  /**
   * DTW token timestamps (`whisper_context_params.dtw_token_timestamps`): `true` picks the
   * alignment-heads preset from the model's shape (tiny…large-v3-turbo, `.en` variants; any other
   * shape uses the top half of the text layers); a preset name forces one. A load-time option
   * in whisper.cpp, so it is set here and not per transcription.
   * @default false
   */
  dtw?: boolean | DtwPreset;
  /** Abandons the load: the promise rejects with CANCELLED and the model is freed once loaded. */
  signal?: AbortSignal;
}

export const loadModelOptionsSchema = z.strictObject({
  path: z.string().min(1, 'path must not be empty'),
  useGpu: z.boolean().default(true),
  gpuDevice: z.number().int().min(0).default(0),
  flashAttn: z.boolean().optional(),
  dtw: z.union([z.boolean(), z.enum(dtwPresets)]).default(false),
  signal: z.instanceof(AbortSignal).optional(),
});

/** What the addon's load() receives. */
export interface NativeLoadOptions {
  useGpu: boolean;
  gpuDevice: number;
  flashAttn: boolean;
  /** 'auto', a preset name, or null for off. */
  dtw: string | null;
}

export function parseLoadModelOptions(input: LoadModelOptions): {
  path: string;
  signal: AbortSignal | undefined;
  native: NativeLoadOptions;
} {
  const o = parseOrThrow(loadModelOptionsSchema, input, 'model load option');
  const dtw = o.dtw === false ? null : o.dtw === true ? 'auto' : o.dtw;
  if (dtw !== null && o.flashAttn === true) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      'DTW token timestamps cannot be combined with flash attention in whisper.cpp: set flashAttn to false or turn dtw off.',
    );
  }
  return {
    path: o.path,
    signal: o.signal,
    native: {
      useGpu: o.useGpu,
      gpuDevice: o.gpuDevice,
      flashAttn: o.flashAttn ?? dtw === null,
      dtw,
    },
  };
}

/** Voice activity detection with whisper.cpp's Silero VAD (defaults: `whisper_vad_default_params()`). */
export interface VadOptions {
  /** Path of the Silero VAD model in ggml format (e.g. `ggml-silero-v6.2.0.bin`). */
  modelPath: string;
  /**
   * Speech probability above which a 32 ms frame counts as speech.
   * @default 0.5
   */
  threshold?: number;
  /**
   * Shorter speech bursts are dropped.
   * @default 250
   */
  minSpeechDurationMs?: number;
  /**
   * Silence must last this long to end a speech segment.
   * @default 100
   */
  minSilenceDurationMs?: number;
  /**
   * Longer speech segments are split. Leave unset for no limit (whisper.cpp: FLT_MAX). Note that
   * whisper.cpp 1.9.1 merges segments less than 200 ms apart after splitting, which joins most
   * split pieces again: on continuous speech (jfk.wav) even 0.5 s changes nothing.
   * @default unlimited
   */
  maxSpeechDurationS?: number;
  /**
   * Padding added before and after each speech segment.
   * @default 30
   */
  speechPadMs?: number;
  /**
   * Seconds of audio after each segment kept as overlap when the speech is joined.
   * @default 0.1
   */
  samplesOverlap?: number;
}

export interface WhisperDecodeParams {
  /**
   * Spoken language: an ISO 639-1 code ('en', 'de', …), a language name whisper.cpp knows
   * ('german'), or 'auto' to detect it from the first 30 s (the result then carries the detected
   * language and its probability). English-only models (`*.en`) accept only 'en' or 'auto'.
   * @default 'en'
   */
  language?: string;
  /**
   * Translate the speech to English instead of transcribing it (multilingual models only).
   * @default false
   */
  translate?: boolean;
  /**
   * Text given to the decoder as previous context: names, spelling, style. Only its end counts:
   * it is cut to Whisper's budget of 224 tokens, keeping the final words (see prompt.ts).
   * @default none
   */
  initialPrompt?: string;
  /**
   * Repeat `initialPrompt` before every 30 s window, not just the first.
   * @default false
   */
  carryInitialPrompt?: boolean;
  /**
   * CPU threads for this transcription (at least 1).
   * @default min(4, available CPU cores), as whisper.cpp
   */
  threads?: number;
  /**
   * Decoding strategy: greedy (with best-of sampling when the temperature rises) or beam search.
   * @default 'greedy'
   */
  strategy?: 'greedy' | 'beam';
  /**
   * Candidates sampled per window once the temperature is above 0 (greedy), 1…8.
   * @default 5
   */
  bestOf?: number;
  /**
   * Beams for beam search, 1…8 (strategy 'beam' only).
   * @default 5
   */
  beamSize?: number;
  /**
   * Initial sampling temperature, 0…1 (0 = deterministic).
   * @default 0
   */
  temperature?: number;
  /**
   * Temperature step for the fallback when a window fails the thresholds below; 0 turns the
   * fallback off (every window is decoded once, at `temperature`).
   * @default 0.2
   */
  temperatureInc?: number;
  /**
   * A window whose no-speech probability is above this (and whose average log-probability is
   * below `logprobThold`) is treated as silence.
   * @default 0.6
   */
  noSpeechThold?: number;
  /**
   * A window whose average token log-probability is below this is decoded again, hotter.
   * @default -1
   */
  logprobThold?: number;
  /**
   * A window whose token entropy is below this (repetitive text) is decoded again, hotter.
   * @default 2.4
   */
  entropyThold?: number;
  /**
   * Token-level timestamps (`t0`/`t1` on each token) from whisper.cpp's timestamp-token heuristic.
   * Turned on automatically when `maxLen` is set, because whisper.cpp needs them to split.
   * @default false
   */
  tokenTimestamps?: boolean;
  /**
   * Timestamp-token probability threshold for token timestamps.
   * @default 0.01
   */
  tokenTimestampThreshold?: number;
  /**
   * Maximum segment length in characters; 0 = no limit.
   * @default 0
   */
  maxLen?: number;
  /**
   * With `maxLen`, split on word boundaries instead of tokens.
   * @default false
   */
  splitOnWord?: boolean;
  /**
   * Maximum tokens per segment; 0 = no limit.
   * @default 0
   */
  maxTokens?: number;
  /**
   * Encoder context in 20 ms frames (0 = the model's full 30 s, 1500 frames). A smaller context
   * encodes only the start of each window, several times faster on short audio, at some cost in
   * accuracy; live captions use it sized to their short windows. Audio past it is not heard.
   * @default 0
   */
  audioCtx?: number;
  /**
   * Do not feed the text decoded so far to the decoder as context for the next window.
   * @default true
   */
  noContext?: boolean;
  /**
   * Decode without timestamp tokens (one segment per 30 s window).
   * @default false
   */
  noTimestamps?: boolean;
  /**
   * Force one segment per window (useful for streaming).
   * @default false
   */
  singleSegment?: boolean;
  /**
   * Suppress a blank as the first token of a window.
   * @default true
   */
  suppressBlank?: boolean;
  /**
   * Suppress non-speech tokens (music notes, brackets, speaker markers…).
   * @default false
   */
  suppressNonSpeechTokens?: boolean;
  /**
   * Where to start in the audio, in ms. Must lie inside the audio. With VAD it counts in the
   * speech-only audio, as in whisper.cpp.
   * @default 0
   */
  offsetMs?: number;
  /**
   * How much audio to transcribe from `offsetMs`, in ms; 0 = to the end (speech-only with VAD).
   * @default 0
   */
  durationMs?: number;
  /**
   * Voice activity detection: transcribe only the speech Silero finds, then map every time back
   * to the original audio. Omit (or pass false) to transcribe everything.
   * @default off
   */
  vad?: VadOptions | false;
}

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max);
const unit = () => z.number().min(0).max(1);

export const vadOptionsSchema = z.strictObject({
  modelPath: z.string().min(1, 'vad.modelPath must not be empty'),
  threshold: z.number().gt(0).lt(1).default(0.5),
  minSpeechDurationMs: int(0).default(250),
  minSilenceDurationMs: int(0).default(100),
  maxSpeechDurationS: z.number().positive().optional(),
  speechPadMs: int(0).default(30),
  samplesOverlap: z.number().min(0).max(10).default(0.1),
});

/** Options of a VAD-only run (`detectSpeech`): the VAD options plus its CPU threads. */
export interface DetectSpeechOptions extends VadOptions {
  /**
   * CPU threads of the Silero graph. Each 32 ms frame is a tiny graph, so more threads only add
   * synchronisation: on a 2-core machine 2 threads measured about 6× slower than 1.
   * @default 1
   */
  threads?: number;
}

export const detectSpeechOptionsSchema = vadOptionsSchema.extend({
  modelPath: z.string().min(1, 'modelPath must not be empty'),
  threads: int(1, 64).default(1),
});

/** The object the addon's detectSpeech() receives: every option resolved. */
export type NativeDetectSpeechOptions = z.output<typeof detectSpeechOptionsSchema>;

/**
 * Validates and resolves VAD-only options. Throws EngineError INVALID_ARGUMENT naming the
 * offending option; nothing native is called. `samplesOverlap` is accepted (the options are the
 * same as a transcription's `vad`) but does not change the regions: it only matters when speech
 * is joined for the decoder.
 */
export function parseDetectSpeechOptions(input: DetectSpeechOptions): NativeDetectSpeechOptions {
  return parseOrThrow(detectSpeechOptionsSchema, input, 'speech detection option');
}

export const transcribeParamsSchema = z.strictObject({
  language: z.string().min(1).default('en'),
  translate: z.boolean().default(false),
  // Cut here, before the addon: whisper.cpp uses only the end, and a long prompt is slow to
  // tokenize and could crash it.
  initialPrompt: z.string().transform(fitPrompt).optional(),
  carryInitialPrompt: z.boolean().default(false),
  threads: int(1, 1024).optional(),
  strategy: z.enum(['greedy', 'beam']).default('greedy'),
  bestOf: int(1, MAX_DECODERS).default(5),
  beamSize: int(1, MAX_DECODERS).default(5),
  temperature: unit().default(0),
  temperatureInc: unit().default(0.2),
  noSpeechThold: unit().default(0.6),
  logprobThold: z.number().max(0).default(-1),
  entropyThold: z.number().min(0).default(2.4),
  tokenTimestamps: z.boolean().default(false),
  tokenTimestampThreshold: unit().default(0.01),
  maxLen: int(0).default(0),
  splitOnWord: z.boolean().default(false),
  maxTokens: int(0).default(0),
  audioCtx: int(0, 1500).default(0),
  noContext: z.boolean().default(true),
  noTimestamps: z.boolean().default(false),
  singleSegment: z.boolean().default(false),
  suppressBlank: z.boolean().default(true),
  suppressNonSpeechTokens: z.boolean().default(false),
  offsetMs: int(0, 2 ** 31 - 1).default(0),
  durationMs: int(0, 2 ** 31 - 1).default(0),
  vad: z.union([z.literal(false), vadOptionsSchema]).default(false),
});

/** The object the addon's transcribe() receives: every option resolved. */
export type NativeTranscribeParams = Omit<
  z.output<typeof transcribeParamsSchema>,
  'vad' | 'threads'
> & {
  threads: number;
  vad: z.output<typeof vadOptionsSchema> | null;
};

export interface WhisperLanguage {
  id: number;
  code: string;
  name: string;
}

export interface ParamsContext {
  /** whisper.cpp's language table (addon `languages()`). */
  languages: readonly WhisperLanguage[];
  /** Whether the loaded model is multilingual. */
  multilingual: boolean;
  /** Length of the audio in ms, to check `offsetMs`. */
  audioMs: number;
}

/** whisper.cpp's default thread count: min(4, hardware threads). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Validates and resolves transcription options. Throws EngineError INVALID_ARGUMENT naming the
 * offending option; nothing native is called.
 */
export function parseTranscribeParams(
  input: WhisperDecodeParams | undefined,
  ctx: ParamsContext,
): NativeTranscribeParams {
  const p = parseOrThrow(transcribeParamsSchema, input ?? {}, 'transcription option');
  const language = resolveLanguage(p.language, ctx.languages);
  if (!ctx.multilingual) {
    if (language !== 'en' && language !== 'auto') {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `This model is English-only, so language "${p.language}" cannot be transcribed: use 'en' or 'auto', or a multilingual model.`,
        { details: { option: 'language' } },
      );
    }
    if (p.translate) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        'This model is English-only and cannot translate: use a multilingual model.',
        {
          details: { option: 'translate' },
        },
      );
    }
  }
  if (p.offsetMs > 0 && p.offsetMs >= ctx.audioMs) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `offsetMs (${p.offsetMs}) is past the end of the audio (${Math.round(ctx.audioMs)} ms).`,
      { details: { option: 'offsetMs' } },
    );
  }
  return {
    ...p,
    language: ctx.multilingual ? language : 'en',
    // whisper.cpp splits segments at maxLen only while computing token timestamps.
    tokenTimestamps: p.tokenTimestamps || p.maxLen > 0,
    threads: p.threads ?? defaultThreads(),
    vad: p.vad === false ? null : p.vad,
  };
}

/** 'auto', or the ISO code of a language given as code or name (case-insensitive). */
export function resolveLanguage(value: string, languages: readonly WhisperLanguage[]): string {
  const wanted = value.trim().toLowerCase();
  if (wanted === 'auto') return 'auto';
  const match = languages.find((l) => l.code === wanted || l.name === wanted);
  if (!match) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Unknown language "${value}": use an ISO 639-1 code whisper.cpp knows (en, de, fr, …) or 'auto'.`,
      { details: { option: 'language' } },
    );
  }
  return match.code;
}
