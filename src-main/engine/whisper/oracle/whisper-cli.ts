/**
 * The correctness oracle: runs whisper.cpp's own `whisper-cli` (built from the same source
 * tree as our addon, see build-whisper-cli.ts) with greedy decoding and no temperature
 * fallback, and reads its segments back. Tests run the addon with
 * {@link whisperCliParams} on the same model and the same 16 kHz mono PCM and require the
 * same segments. Test and benchmark tool only; never shipped.
 *
 * Audio: whisper-cli decodes the file itself (miniaudio). For a 16 kHz mono 16-bit WAV that
 * is sample/32768, exactly what ffmpeg's s16 → f32 conversion gives; other rates or formats
 * are resampled differently from ffmpeg, so give the oracle 16 kHz mono WAV only.
 */

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EngineError } from '../../errors';
import { runProcess, tailLines } from '../../process/run-process';
import type { LoadModelOptions, WhisperDecodeParams } from '../params';
import { ensureWhisperCli } from './build-whisper-cli';
import { parseRawJson, RawString, type RawJson } from './raw-json';

export { buildWhisperCli, ensureWhisperCli, whisperCliCmakeDefines } from './build-whisper-cli';

/**
 * What whisper-cli 1.9.1 runs with for
 * `whisper-cli -m MODEL -f WAV -t THREADS -l LANG -bs 1 -nf -np -oj -of OUT`, as the
 * addon's transcription options (`WhisperDecodeParams` in ../params.ts; the C names are
 * `whisper_full_params` fields: `n_threads` → `threads`, `greedy.best_of` → `bestOf`,
 * `beam_search.beam_size` → `beamSize`, `thold_pt` → `tokenTimestampThreshold`,
 * `suppress_nst` → `suppressNonSpeechTokens`, ...). Pass it to the addon with the same
 * threads and language, and {@link whisperCliLoadOptions} when loading the model, to
 * reproduce whisper-cli exactly.
 *
 * Where whisper-cli differs from `whisper_full_default_params(WHISPER_SAMPLING_GREEDY)`
 * (src/whisper.cpp) — everything else equals that default:
 * - `threads`: default min(4, hardware threads); whisper-cli takes `-t` (we always pass it;
 *   4 here is only a placeholder: use {@link whisperCliParams}).
 * - `temperatureInc`: default 0.2; `-nf` sets 0 → one decode at temperature 0, no fallback.
 * - `beamSize`: default -1 in the greedy preset; whisper-cli passes `-bs` (1). Unused by
 *   greedy, but `-bs 1` is what makes whisper-cli choose WHISPER_SAMPLING_GREEDY at all:
 *   its own default is beam search with 5 beams. (`bestOf` stays 5: at temperature 0
 *   whisper.cpp decodes with one decoder whatever bestOf says.)
 * - `tokenTimestamps`: default false; whisper-cli turns it on for `-ojf`, `-owts` or
 *   `-ml > 0` ({@link runWhisperCli} with `tokens: true` uses `-ojf`). It adds per-token
 *   times only; tokens, segments and segment times are unchanged.
 * - not addon options, see {@link whisperCliFixedParams}: `print_progress` false (default
 *   true), `initial_prompt` "" (default NULL; "" tokenizes to nothing, so no effect), and
 *   new_segment / encoder_begin / abort callbacks that never abort. None changes results.
 * - VAD off (whisper-cli copies its own VAD defaults, equal to whisper_vad_default_params).
 *
 * Decoding with these settings: one decoder at temperature 0, at most n_text_ctx/2 − 4 =
 * 220 tokens per 30 s window; `entropyThold`/`logprobThold` may still mark a window as
 * failed, but with no temperature left to fall back to its result is kept; a window is
 * dropped as silence when the no-speech probability > `noSpeechThold` and the average
 * log-probability < `logprobThold`.
 */
export const whisperCliGreedyParams = {
  language: 'en',
  translate: false,
  carryInitialPrompt: false,
  threads: 4,
  strategy: 'greedy',
  bestOf: 5,
  beamSize: 1,
  temperature: 0,
  temperatureInc: 0,
  noSpeechThold: 0.6,
  logprobThold: -1,
  entropyThold: 2.4,
  tokenTimestamps: false,
  tokenTimestampThreshold: 0.01,
  maxLen: 0,
  splitOnWord: false,
  maxTokens: 0,
  noContext: true,
  noTimestamps: false,
  singleSegment: false,
  suppressBlank: true,
  suppressNonSpeechTokens: false,
  offsetMs: 0,
  durationMs: 0,
  vad: false,
} as const satisfies WhisperDecodeParams;

/**
 * whisper-cli's context params: `whisper_context_default_params()` unchanged. `flashAttn`
 * true is whisper-cli's `-fa` default and changes the numerics, so the addon must match it;
 * `useGpu` is moot in a CPU build.
 */
export const whisperCliLoadOptions = {
  useGpu: true,
  gpuDevice: 0,
  flashAttn: true,
  dtw: false,
} as const satisfies Omit<LoadModelOptions, 'path' | 'signal'>;

/**
 * The rest of `whisper_full_params` as whisper-cli sets it: fields the addon does not expose
 * and must leave at these values (all but `printProgress` and `initialPrompt` are the
 * greedy defaults; neither of those two changes results).
 */
export const whisperCliFixedParams = {
  /** `n_max_text_ctx` */
  maxTextCtx: 16384,
  /** `thold_ptsum` */
  tholdPtsum: 0.01,
  /** `max_initial_ts`, seconds */
  maxInitialTs: 1,
  lengthPenalty: -1,
  audioCtx: 0,
  /** `beam_search.patience` */
  beamPatience: -1,
  detectLanguage: false,
  debugMode: false,
  tdrzEnable: false,
  suppressRegex: null,
  initialPrompt: '',
  printSpecial: false,
  printProgress: false,
  printRealtime: false,
  printTimestamps: true,
} as const;

export type WhisperCliParams = Omit<
  typeof whisperCliGreedyParams,
  'threads' | 'language' | 'tokenTimestamps'
> & { threads: number; language: string; tokenTimestamps: boolean };

/** The exact addon options of one {@link runWhisperCli} call (threads, language, `-ojf`). */
export function whisperCliParams(options: {
  threads: number;
  language?: string;
  tokens?: boolean;
}): WhisperCliParams {
  return {
    ...whisperCliGreedyParams,
    threads: options.threads,
    language: options.language ?? 'en',
    tokenTimestamps: options.tokens ?? false,
  };
}

/** The flags that select greedy decoding without temperature fallback, quietly. */
export const whisperCliGreedyFlags = ['-bs', '1', '-nf', '-np'] as const;

export interface RunWhisperCliOptions {
  /** whisper.cpp model file. */
  model: string;
  /** 16 kHz mono WAV (see the note at the top about other formats). */
  wav: string;
  /** `-t`: compute threads. */
  threads: number;
  /**
   * `-l`: spoken language; whisper-cli forces "en" for English-only models.
   * @default 'en'
   */
  language?: string;
  /**
   * Read per-token ids and probabilities too (`-ojf`; sets tokenTimestamps, see
   * {@link WhisperCliParams}).
   * @default false
   */
  tokens?: boolean;
  /** More whisper-cli arguments, appended last (they override the ones above). */
  extra?: string[];
  /**
   * The whisper-cli binary.
   * @default ensureWhisperCli() (builds it on first use: minutes)
   */
  binary?: string;
  /**
   * Kill whisper-cli after this long.
   * @default 600000 (10 minutes)
   */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface WhisperCliToken {
  id: number;
  text: string;
  /** Probability of the token. */
  p: number;
}

export interface WhisperCliSegment {
  /** Start in milliseconds (whisper's 10 ms units × 10). */
  t0Ms: number;
  t1Ms: number;
  /** Segment text as the addon would see it (UTF-8, invalid bytes → U+FFFD). */
  text: string;
  /** The exact bytes whisper-cli wrote for the text (may be invalid UTF-8). */
  textBytes: Uint8Array;
  /** With `tokens: true` only (adjacent tokens that split a UTF-8 character are merged). */
  tokens?: WhisperCliToken[];
}

export interface WhisperCliResult {
  segments: WhisperCliSegment[];
  /** All segment texts joined, as whisper.cpp's full text. */
  text: string;
  /** Wall time of the whole whisper-cli process (load + compute + output). */
  wallMs: number;
  /** The arguments whisper-cli ran with (after the binary). */
  args: string[];
  /** The addon options these arguments amount to (with {@link whisperCliLoadOptions}). */
  params: WhisperCliParams;
}

/** Runs whisper-cli greedily without fallback and returns its segments with times. */
export async function runWhisperCli(options: RunWhisperCliOptions): Promise<WhisperCliResult> {
  const model = resolve(options.model);
  const wav = resolve(options.wav);
  if (!existsSync(model)) {
    throw new EngineError('NOT_FOUND', `The model file ${model} does not exist.`, {
      details: { path: model },
    });
  }
  if (!existsSync(wav)) {
    throw new EngineError('MEDIA_NOT_FOUND', `No file exists at ${wav}.`, {
      details: { path: wav },
    });
  }
  if (!Number.isInteger(options.threads) || options.threads < 1) {
    throw new EngineError('INVALID_ARGUMENT', `threads must be a whole number ≥ 1.`, {
      details: { threads: options.threads },
    });
  }
  const binary = options.binary ?? (await ensureWhisperCli({ signal: options.signal }));
  const language = options.language ?? 'en';
  const work = await mkdtemp(join(tmpdir(), 'whisper-cli-'));
  const outBase = join(work, 'out');
  const args = [
    '-m',
    model,
    '-f',
    wav,
    '-t',
    String(options.threads),
    '-l',
    language,
    ...whisperCliGreedyFlags,
    options.tokens ? '-ojf' : '-oj',
    '-of',
    outBase,
    ...(options.extra ?? []),
  ];
  try {
    const started = performance.now();
    const timeoutMs = options.timeoutMs ?? 600_000;
    // whisper-cli prints its transcript on stdout and its log on stderr: keep the end of both.
    const { stderrTail: output } = await runProcess(binary, args, {
      stdout: 'tail',
      // Enough for the usage text that follows an "error: ..." line.
      stderrTailBytes: 64 * 1024,
      signal: options.signal,
      timeoutMs,
      action: 'whisper-cli',
      fail: (failure) => ({
        code:
          failure.reason === 'start'
            ? 'NOT_FOUND'
            : failure.reason === 'timeout'
              ? 'TIMED_OUT'
              : 'TRANSCRIBE_FAILED',
        message:
          failure.reason === 'start'
            ? `${binary} could not be started; build it with ensureWhisperCli().`
            : failure.reason === 'timeout'
              ? `whisper-cli ran longer than ${timeoutMs} ms; give it a longer timeoutMs.`
              : `whisper-cli failed (${failure.signal ?? `exit ${failure.exitCode}`}): ${tailLines(failure.stderrTail, 10).join('\n')}`,
      }),
    });
    const wallMs = performance.now() - started;
    const json = await readFile(`${outBase}.json`).catch((error: unknown) => {
      // whisper-cli exits 0 without output for an unreadable input or an unknown language
      // (it prints an "error: ..." line, and for the language its usage).
      const reason = output.split('\n').find((line) => line.startsWith('error: '));
      throw new Error(`whisper-cli wrote no output for ${wav}: ${reason ?? 'no reason given'}`, {
        cause: error,
      });
    });
    const segments = readSegments(parseRawJson(json));
    return {
      segments,
      text: segments.map((s) => s.text).join(''),
      wallMs,
      args,
      params: whisperCliParams({ threads: options.threads, language, tokens: options.tokens }),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function field(object: RawJson | undefined, key: string): RawJson | undefined {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return undefined;
  if (object instanceof RawString) return undefined;
  return object[key];
}

function numberField(object: RawJson | undefined, key: string): number {
  const value = field(object, key);
  if (typeof value !== 'number') throw new Error(`whisper-cli JSON: "${key}" is not a number.`);
  return value;
}

function stringField(object: RawJson | undefined, key: string): RawString {
  const value = field(object, key);
  if (!(value instanceof RawString)) throw new Error(`whisper-cli JSON: "${key}" is not a string.`);
  return value;
}

function readSegments(root: RawJson): WhisperCliSegment[] {
  const transcription = field(root, 'transcription');
  if (!Array.isArray(transcription)) throw new Error('whisper-cli JSON has no transcription.');
  return transcription.map((entry) => {
    const offsets = field(entry, 'offsets');
    const text = stringField(entry, 'text');
    const segment: WhisperCliSegment = {
      t0Ms: numberField(offsets, 'from'),
      t1Ms: numberField(offsets, 'to'),
      text: text.text,
      textBytes: text.bytes,
    };
    const tokens = field(entry, 'tokens');
    if (Array.isArray(tokens)) {
      segment.tokens = tokens.map((token) => ({
        id: numberField(token, 'id'),
        text: stringField(token, 'text').text,
        p: numberField(token, 'p'),
      }));
    }
    return segment;
  });
}
