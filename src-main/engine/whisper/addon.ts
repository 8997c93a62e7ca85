/**
 * The typed face of the native Whisper addon (native/ → studio_whisper.node).
 *
 * Threads and ownership (house style 15):
 * - Every function here runs on the JS thread and returns at once. Model loading and inference
 *   run on libuv worker threads inside the addon; progress and segments come back to this thread.
 * - A `WhisperContext` owns one loaded model (one whisper_context). Each `transcribe` call gets a
 *   whisper_state of its own, so any number of calls may run at once on one context and on several
 *   contexts; each call's CPU threads add up, so the caller decides how many run together.
 * - `freeModel` makes the context refuse new work at once. The memory is released as soon as no
 *   call is using it: right away when idle, otherwise when the last running call settles.
 * - The PCM is copied when the call starts; the caller may reuse its buffer immediately.
 * - Aborting (`signal`) stops the native work at whisper.cpp's next check (between encoder and
 *   decoder steps). The promise rejects (CANCELLED) when the native work has stopped, or 1 s
 *   after the abort if it has not (a long encoder pass on a large model, a long mel spectrogram
 *   or VAD run): that step then finishes in the background on its libuv thread, holding its own
 *   reference to the model, and its CPU use ends with it.
 * - Each running load or transcription occupies one libuv threadpool thread (default pool: 4,
 *   UV_THREADPOOL_SIZE). A process that runs more at once should enlarge the pool at start, or
 *   its fs/crypto/zlib work waits.
 *
 * - `detectSpeech` runs Silero VAD alone on a libuv worker thread with a whisper_vad_context that
 *   only it uses while it runs; the addon pools idle contexts per model file (a few ms to load,
 *   about 1 MB each) and `releaseVadContexts` frees the idle ones.
 *
 * Times in results are integer milliseconds (whisper.cpp's resolution is 10 ms).
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { abortReason, EngineError, isEngineError } from '../errors';
import {
  parseDetectSpeechOptions,
  parseLoadModelOptions,
  parseTranscribeParams,
  type DetectSpeechOptions,
  type LoadModelOptions,
  type NativeDetectSpeechOptions,
  type NativeLoadOptions,
  type NativeTranscribeParams,
  type WhisperDecodeParams,
  type WhisperLanguage,
} from './params';
import { whisperLanguages } from './languages';

export const WHISPER_SAMPLE_RATE = 16_000;
const ADDON_FILE = 'studio_whisper.node';
const BUILD_HINT = 'Run `npm run build:native` (needs cmake and a C++ compiler).';
/** How long an aborted transcription may take to stop before its promise rejects anyway. */
const ABORT_GRACE_MS = 1000;

export interface WhisperToken {
  /** Token id in the model's vocabulary. */
  id: number;
  /** Token text. UTF-8 characters split across tokens are attributed to the token that ends them. */
  text: string;
  /** Probability of the token. */
  p: number;
  /** Log-probability of the token. */
  plog: number;
  /** Start in ms (with `tokenTimestamps`), else null. */
  t0: number | null;
  /** End in ms (with `tokenTimestamps`), else null. */
  t1: number | null;
  /** DTW timestamp in ms (model loaded with `dtw`), else null. */
  tDtw: number | null;
  /** Special token ([_BEG_], timestamps, …): not part of the spoken text. */
  special: boolean;
}

export interface WhisperSegment {
  /** 0-based position in the result. */
  index: number;
  /** Start in ms, in the original audio (VAD times are mapped back). */
  t0: number;
  /** End in ms. */
  t1: number;
  text: string;
  /** whisper.cpp's no-speech probability for the window this segment came from. */
  noSpeechProb: number;
  tokens: WhisperToken[];
}

export interface TranscribeResult {
  segments: WhisperSegment[];
  /** The language decoded in (the detected one for 'auto'); null when VAD found no speech to detect. */
  language: string | null;
  /** The detected language's probability for 'auto' on a multilingual model, else null. */
  languageProbability: number | null;
  /** Audio that reached the decoder, in ms (less than the input with VAD). */
  speechMs: number;
  /** Wall time of each phase, in ms. */
  timings: { stateMs: number; vadMs: number; languageMs: number; whisperMs: number };
}

export interface TranscribeCallbacks {
  /** Progress in percent (integers, strictly increasing, the last one 100). */
  onProgress?: (percent: number) => void;
  /** Each segment once, in order, as soon as whisper.cpp has finished it. */
  onSegment?: (segment: WhisperSegment) => void;
  /** Aborts the transcription: the promise rejects with CANCELLED (`signal.reason` if it is one). */
  signal?: AbortSignal;
}

export interface ModelInfo {
  /** 'tiny' … 'large-v3-turbo', 'large' (v1/v2), or 'unknown'. */
  type: string;
  multilingual: boolean;
  /** False for whisper.cpp's weightless test files, which load and compute with zeros. */
  hasWeights: boolean;
  tensors: number;
  fileSize: number;
  vocabSize: number;
  audioLayers: number;
  textLayers: number;
  audioState: number;
  mels: number;
  ftype: number;
  /** The DTW alignment-heads preset in use, or null without DTW. */
  dtw: string | null;
}

export interface WhisperContext {
  readonly path: string;
  readonly info: ModelInfo;
  /** True after `freeModel`. */
  readonly freed: boolean;
}

export interface NativeSystemInfo {
  whisperVersion: string;
  /** whisper_print_system_info(): the CPU features this build uses. */
  features: string;
  /** True for a portable build that loads CPU variants / GPU backends at run time. */
  dynamicBackends: boolean;
  /** Registered ggml backends, e.g. ['CUDA', 'CPU']. */
  backends: string[];
  /** Devices as ggml reports them; memory in bytes (for the CPU: system memory). */
  devices: {
    name: string;
    description: string;
    type: 'cpu' | 'gpu' | 'igpu' | 'accel' | 'other';
    backend: string;
    memoryFree: number;
    memoryTotal: number;
    deviceId?: string;
  }[];
}

/** A stretch of speech in the audio given to `detectSpeech`, in ms from its first sample. */
export interface SpeechRegionMs {
  startMs: number;
  endMs: number;
}

export interface SpeechDetection {
  /** Speech regions in time order, not overlapping, padded by `speechPadMs`, within the audio. */
  regions: SpeechRegionMs[];
  /** loadMs: getting a VAD context (≈0 when a pooled one was reused); vadMs: the detection. */
  timings: { loadMs: number; vadMs: number };
  /** Whether the addon reused a pooled VAD context instead of loading the model file. */
  reusedContext: boolean;
}

type NativeHandle = { readonly __brand: 'studio_whisper.handle' };
interface NativeJob {
  promise: Promise<TranscribeResult>;
  abort(): void;
}
interface NativeAddon {
  load(
    path: string,
    options: NativeLoadOptions,
  ): Promise<{ handle: NativeHandle; info: ModelInfo }>;
  transcribe(
    handle: NativeHandle,
    pcm: Float32Array,
    params: NativeTranscribeParams,
    onProgress?: (percent: number) => void,
    onSegment?: (segment: WhisperSegment) => void,
  ): NativeJob;
  free(handle: NativeHandle): void;
  detectSpeech(
    pcm: Float32Array,
    options: NativeDetectSpeechOptions,
  ): { promise: Promise<SpeechDetection>; abort(): void };
  freeVadContexts(): number;
  systemInfo(): NativeSystemInfo;
  languages(): WhisperLanguage[];
  loadBackends(dir: string): number;
  /** Absent from builds made before it was added. */
  dieWithParent?(): boolean;
}

let addon: NativeAddon | undefined;

/**
 * Where the built addon is: `STUDIO_WHISPER_ADDON` if set, else the newest of
 * native/build/{Release,Debug}/studio_whisper.node in the first folder that has a native/build
 * folder, walking up from this module (or the bundle it was compiled into), then from the
 * working directory.
 */
export function findAddonPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.STUDIO_WHISPER_ADDON) return resolve(env.STUDIO_WHISPER_ADDON);
  const moduleDir = import.meta.dirname ?? dirname(fileURLToPath(import.meta.url));
  for (const start of [moduleDir, process.cwd()]) {
    let dir = start;
    for (let depth = 0; depth < 8; depth++) {
      const build = join(dir, 'native', 'build');
      if (existsSync(build)) {
        const newest = ['Release', 'Debug']
          .map((config) => join(build, config, ADDON_FILE))
          .filter((file) => existsSync(file))
          .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
        if (newest) return newest;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

/**
 * Whether this process has loaded the addon. Only worker processes may (the whisper pool's and
 * the diarization worker); the engine's own process never does (native-boundary.test.ts).
 */
export const addonLoaded = (): boolean => addon !== undefined;

/** Loads the addon once; throws NATIVE_ADDON_MISSING with what to do when it is not built. */
function native(): NativeAddon {
  if (addon) return addon;
  const file = findAddonPath();
  if (!file || !existsSync(file)) {
    throw new EngineError(
      'NATIVE_ADDON_MISSING',
      `The native Whisper addon is not built. ${BUILD_HINT}`,
      {
        details: { path: file ?? null },
      },
    );
  }
  try {
    const loaded = createRequire(import.meta.url)(file) as NativeAddon;
    loaded.loadBackends(dirname(file));
    addon = loaded;
    return loaded;
  } catch (error) {
    throw new EngineError(
      'NATIVE_ADDON_MISSING',
      `The native Whisper addon at ${file} cannot be loaded (${error instanceof Error ? error.message : String(error)}). ${BUILD_HINT}`,
      { cause: error, details: { path: file } },
    );
  }
}

/**
 * Linux: asks the kernel to kill this process when its parent ends (native/src/parent-death.cpp);
 * for worker processes (pool/parent-watch.ts). False elsewhere.
 */
export function dieWithParent(): boolean {
  return native().dieWithParent?.() ?? false;
}

/** What this build of whisper.cpp/ggml can use (CPU features, backends, devices with free memory). */
export function systemInfo(): NativeSystemInfo {
  return native().systemInfo();
}

/**
 * The languages this build of whisper.cpp knows, as the addon lists them. The engine uses the
 * static copy in languages.ts (`whisperLanguages`), which a test keeps equal to this list.
 */
export function nativeLanguages(): WhisperLanguage[] {
  return native().languages();
}

interface ContextState {
  handle: NativeHandle;
  freed: boolean;
}
const contexts = new WeakMap<WhisperContext, ContextState>();

/**
 * Loads a model on a worker thread. Rejects with MODEL_LOAD_FAILED (details.reason: 'missing',
 * 'unreadable', 'bad-magic', 'truncated', 'invalid', 'init-failed') for a file that cannot be a
 * working model, INVALID_ARGUMENT for bad options, CANCELLED when `signal` aborts.
 */
export async function loadModel(options: LoadModelOptions): Promise<WhisperContext> {
  const { path: rawPath, signal, native: nativeOptions } = parseLoadModelOptions(options);
  const path = resolve(rawPath);
  if (signal?.aborted) throw abortReason(signal, 'Loading the model');
  const pending = native().load(path, nativeOptions);
  let loaded: { handle: NativeHandle; info: ModelInfo };
  try {
    loaded = signal
      ? await raceAbort(pending, signal, (late) => native().free(late.handle))
      : await pending;
  } catch (error) {
    if (isEngineError(error)) throw error;
    throw loadError(error, path);
  }
  const state: ContextState = { handle: loaded.handle, freed: false };
  const context: WhisperContext = {
    path,
    info: Object.freeze({ ...loaded.info }),
    get freed() {
      return state.freed;
    },
  };
  contexts.set(context, state);
  return Object.freeze(context);
}

/**
 * Frees the model. Safe while transcriptions run (the memory goes when the last one settles);
 * calling it again is a no-op.
 */
export function freeModel(context: WhisperContext): void {
  const state = contextState(context);
  if (state.freed) return;
  state.freed = true;
  native().free(state.handle);
}

/**
 * Transcribes 16 kHz mono samples. Rejects with INVALID_ARGUMENT (bad audio or options; nothing
 * native runs), CANCELLED (signal), TRANSCRIBE_FAILED (whisper.cpp's return code in the message)
 * or MODEL_LOAD_FAILED (VAD model). Empty or NaN/Infinity samples are rejected, not repaired: a
 * decoder that produced them has a bug worth seeing.
 */
export async function transcribe(
  context: WhisperContext,
  pcm: Float32Array,
  params: WhisperDecodeParams = {},
  callbacks: TranscribeCallbacks = {},
): Promise<TranscribeResult> {
  const state = contextState(context);
  if (state.freed) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      'This model was freed; load it again to transcribe with it.',
    );
  }
  checkPcm(pcm);
  const resolved = parseTranscribeParams(params, {
    languages: whisperLanguages(),
    multilingual: context.info.multilingual,
    audioMs: (pcm.length / WHISPER_SAMPLE_RATE) * 1000,
  });
  if (resolved.vad && !existsSync(resolved.vad.modelPath)) {
    throw new EngineError(
      'MODEL_LOAD_FAILED',
      `The VAD model file does not exist: ${resolved.vad.modelPath}.`,
      {
        details: { path: resolved.vad.modelPath, reason: 'missing' },
      },
    );
  }
  const { signal, onProgress, onSegment } = callbacks;
  if (signal?.aborted) throw abortReason(signal, 'Transcription');

  // The caller's callbacks must not throw into the addon: the first error aborts the job and
  // becomes the rejection. Events that arrive after this call has settled are dropped.
  let settled = false;
  let callbackError: { error: unknown } | undefined;
  const guard =
    <T>(fn: ((value: T) => void) | undefined) =>
    (value: T) => {
      if (settled || !fn || callbackError) return;
      try {
        fn(value);
      } catch (error) {
        callbackError = { error };
        abort();
      }
    };

  const job = native().transcribe(state.handle, pcm, resolved, guard(onProgress), guard(onSegment));
  // Never rejects, so a native result that arrives after we gave up is not an unhandled rejection.
  const stopped = job.promise.then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  let giveUp: (() => void) | undefined;
  const gaveUp = new Promise<'gave-up'>((resolveGiveUp) => {
    giveUp = () => resolveGiveUp('gave-up');
  });
  let graceTimer: NodeJS.Timeout | undefined;
  // whisper.cpp notices the abort at its next encoder/decoder step; a step it cannot interrupt
  // (a long encoder pass, the mel spectrogram, VAD) may take longer, so stop waiting after a grace
  // period. The native step then finishes in the background with its own reference to the model.
  function abort(): void {
    job.abort();
    graceTimer ??= setTimeout(() => giveUp?.(), ABORT_GRACE_MS);
  }
  const cancelled = () =>
    signal
      ? abortReason(signal, 'Transcription')
      : new EngineError('CANCELLED', 'Transcription was cancelled.');

  signal?.addEventListener('abort', abort, { once: true });
  try {
    const outcome = await Promise.race([stopped, gaveUp]);
    if (callbackError) throw callbackError.error;
    if (outcome === 'gave-up') throw cancelled();
    if ('error' in outcome) {
      if (errorCode(outcome.error) === 'ERR_ABORTED') throw cancelled();
      throw transcribeError(outcome.error);
    }
    return outcome.result;
  } finally {
    settled = true;
    clearTimeout(graceTimer);
    signal?.removeEventListener('abort', abort);
  }
}

/**
 * Finds the speech in 16 kHz mono samples with whisper.cpp's Silero VAD (the same detection
 * `transcribe` runs with `vad`), without a Whisper model. Memory: the addon copies the samples,
 * so a call holds twice their size (64 KB per second of audio) while it runs; split long audio
 * (`detectSpeechRegions` in engine/vad does). Speed: about 3 ms per second of audio on one
 * thread.
 *
 * Rejects with INVALID_ARGUMENT (bad audio or options; nothing native runs), MODEL_LOAD_FAILED
 * (VAD model file missing or not a Silero ggml model; details.reason 'missing' or 'vad-model'),
 * CANCELLED (signal: whisper.cpp cannot interrupt a detection, so the promise rejects when the
 * native work stops or 1 s after the abort, and the detection finishes in the background), or
 * TRANSCRIBE_FAILED (whisper.cpp failed in the detection).
 */
export async function detectSpeech(
  pcm: Float32Array,
  options: DetectSpeechOptions,
  { signal }: { signal?: AbortSignal } = {},
): Promise<SpeechDetection> {
  checkPcm(pcm);
  const resolved = parseDetectSpeechOptions(options);
  const modelPath = resolve(resolved.modelPath);
  if (!existsSync(modelPath)) {
    throw new EngineError('MODEL_LOAD_FAILED', `The VAD model file does not exist: ${modelPath}.`, {
      details: { path: modelPath, reason: 'missing' },
    });
  }
  if (signal?.aborted) throw abortReason(signal, 'Speech detection');
  const job = native().detectSpeech(pcm, { ...resolved, modelPath });
  const stopped = job.promise.then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  let graceTimer: NodeJS.Timeout | undefined;
  let giveUp: (() => void) | undefined;
  const gaveUp = new Promise<'gave-up'>((resolveGiveUp) => {
    giveUp = () => resolveGiveUp('gave-up');
  });
  const abort = () => {
    job.abort();
    graceTimer ??= setTimeout(() => giveUp?.(), ABORT_GRACE_MS);
  };
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const outcome = await Promise.race([stopped, gaveUp]);
    if (
      outcome === 'gave-up' ||
      ('error' in outcome && errorCode(outcome.error) === 'ERR_ABORTED')
    ) {
      throw signal
        ? abortReason(signal, 'Speech detection')
        : new EngineError('CANCELLED', 'Speech detection was cancelled.');
    }
    if ('error' in outcome) throw detectSpeechError(outcome.error, modelPath);
    const { regions, timings, reusedContext } = outcome.result;
    return { regions, timings, reusedContext };
  } finally {
    clearTimeout(graceTimer);
    signal?.removeEventListener('abort', abort);
  }
}

/**
 * Frees the VAD contexts the addon keeps for the next `detectSpeech` call and returns how many it
 * freed; contexts of running detections are freed when those end. A no-op when the addon was
 * never loaded.
 */
export function releaseVadContexts(): number {
  return addon ? addon.freeVadContexts() : 0;
}

function contextState(context: WhisperContext): ContextState {
  const state = contexts.get(context);
  if (!state) {
    throw new EngineError('INVALID_ARGUMENT', 'Expected a WhisperContext returned by loadModel().');
  }
  return state;
}

function checkPcm(pcm: Float32Array): void {
  if (!(pcm instanceof Float32Array)) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      'Audio must be a Float32Array of 16 kHz mono samples.',
    );
  }
  if (pcm.length === 0) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      'The audio is empty: there is nothing to transcribe.',
    );
  }
  for (let i = 0; i < pcm.length; i++) {
    if (!Number.isFinite(pcm[i])) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `The audio contains a non-finite sample (${pcm[i]}) at ${(i / WHISPER_SAMPLE_RATE).toFixed(3)} s; decode it again.`,
        { details: { sampleIndex: i } },
      );
    }
  }
}

/** Settles with `promise`, or rejects at once when `signal` aborts; a late value goes to `late`. */
function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  late: (value: T) => void,
): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    let settled = false;
    const onAbort = () => {
      settled = true;
      reject(abortReason(signal, 'Loading the model'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) late(value);
        else resolvePromise(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!settled) reject(error);
      },
    );
  });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const loadReasons: Record<string, { reason: string; advice: string }> = {
  ERR_MODEL_NOT_FOUND: {
    reason: 'missing',
    advice: 'Download the model again or choose another file.',
  },
  ERR_MODEL_UNREADABLE: { reason: 'unreadable', advice: 'Check the file permissions.' },
  ERR_MODEL_BAD_MAGIC: { reason: 'bad-magic', advice: 'Choose a ggml Whisper model (ggml-*.bin).' },
  ERR_MODEL_TRUNCATED: { reason: 'truncated', advice: 'Download the model again.' },
  ERR_MODEL_INVALID: {
    reason: 'invalid',
    advice: 'Download the model again or choose another file.',
  },
  ERR_MODEL_INIT: {
    reason: 'init-failed',
    advice: 'The file may be damaged, or too large for the available memory.',
  },
};

function loadError(error: unknown, path: string): EngineError {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const known = code ? loadReasons[code] : undefined;
  if (known) {
    return new EngineError('MODEL_LOAD_FAILED', `${capitalize(message)}. ${known.advice}`, {
      cause: error,
      details: { path, reason: known.reason },
    });
  }
  if (code === 'ERR_INVALID_ARG' || error instanceof TypeError) {
    return new EngineError('INVALID_ARGUMENT', capitalize(message), { cause: error });
  }
  return new EngineError('MODEL_LOAD_FAILED', `Loading the model failed: ${message}`, {
    cause: error,
    details: { path, reason: 'init-failed' },
  });
}

function transcribeError(error: unknown): EngineError {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_VAD_MODEL') {
    return new EngineError(
      'MODEL_LOAD_FAILED',
      `${capitalize(message)}. Check the VAD model file.`,
      {
        cause: error,
        details: { reason: 'vad-model' },
      },
    );
  }
  if (
    code === 'ERR_INVALID_ARG' ||
    code === 'ERR_MODEL_FREED' ||
    error instanceof TypeError ||
    error instanceof RangeError
  ) {
    return new EngineError('INVALID_ARGUMENT', capitalize(message), { cause: error });
  }
  return new EngineError('TRANSCRIBE_FAILED', `Whisper failed: ${message}`, { cause: error });
}

function detectSpeechError(error: unknown, path: string): EngineError {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_VAD_MODEL') {
    return new EngineError(
      'MODEL_LOAD_FAILED',
      `${capitalize(message)}. Choose a Silero VAD model in ggml format (ggml-silero-*.bin).`,
      { cause: error, details: { path, reason: 'vad-model' } },
    );
  }
  if (code === 'ERR_INVALID_ARG' || error instanceof TypeError || error instanceof RangeError) {
    return new EngineError('INVALID_ARGUMENT', capitalize(message), { cause: error });
  }
  return new EngineError('TRANSCRIBE_FAILED', `Speech detection failed: ${message}`, {
    cause: error,
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
