/**
 * sherpa-onnx's speaker diarization (pyannote segmentation + speaker embeddings + clustering) as
 * a worker runtime for the pool: the "model" is the pair of files (`path` the segmentation model,
 * `companionPath` the embedding model) and a "transcription" is one diarization.
 *
 * Runs ONLY inside a diarization worker process (diarization-worker-entry.ts): sherpa-onnx ends
 * the process on a bad model (exit, SIGSEGV, SIGABRT), and a running diarization cannot be
 * stopped except by killing it. The models are checked first (check-models.ts). One diarization
 * at a time per context: the clustering options are set on the shared native object per run, and
 * the pool gives a worker one job at a time.
 *
 * Speaker prints: sherpa-onnx's diarization does not return its embeddings, so each speaker's
 * print is computed afterwards with the same embedding model (SpeakerEmbeddingExtractor): one
 * embedding per turn over the speaker's longest turns (at most MAX_PRINT_TURNS, each cut to its
 * middle MAX_PRINT_TURN_SEC), unit-normalised, averaged weighted by duration, and normalised again.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EngineError, isEngineError } from '../../errors';
import type { WhisperRuntime } from '../../pool/runtime';
import type { SpeakerTurn } from '../speaker-turns';
import { checkDiarizationModels } from './check-models';
import type { Fix } from '../../../common/remedies';

/** The parameters of one diarization (the pool's `params`). */
export interface SherpaDiarizeParams {
  /** Exactly this many speakers; otherwise `threshold` decides. */
  numClusters?: number;
  /** Cosine distance (1 − cos) under which clusters are joined, when `numClusters` is not given. */
  threshold: number;
}

/** What one diarization returns (the pool's `result`). */
export interface SherpaDiarization {
  /** In time order, ends clamped to the audio; labels SPEAKER_00, … in order of first speech. */
  turns: SpeakerTurn[];
  /** Each speaker's print (unit length); a speaker with no turn long enough to embed has none. */
  prints: Record<string, number[]>;
}

interface Segment {
  start: number;
  end: number;
  speaker: number;
}

/** The slice of sherpa-onnx-node (which ships no types) used here. */
interface SherpaModule {
  OfflineSpeakerDiarization: new (config: object) => {
    handle: object;
    setConfig(config: { clustering: { numClusters: number; threshold: number } }): void;
  };
  SpeakerEmbeddingExtractor: new (config: object) => {
    createStream(): EmbeddingStream;
    isReady(stream: EmbeddingStream): boolean;
    compute(stream: EmbeddingStream, enableExternalBuffer?: boolean): Float32Array;
  };
}
interface EmbeddingStream {
  acceptWaveform(wave: { samples: Float32Array; sampleRate: number }): void;
  inputFinished(): void;
}
interface SherpaAddon {
  /** Runs on a libuv thread; the callback's return value is ignored (no cancel). */
  offlineSpeakerDiarizationProcessAsync(
    handle: object,
    samples: Float32Array,
    onProgress: (done: number, total: number) => number,
  ): Promise<Segment[]>;
}

interface SherpaContext {
  diarizer: InstanceType<SherpaModule['OfflineSpeakerDiarization']>;
  extractor: InstanceType<SherpaModule['SpeakerEmbeddingExtractor']>;
}

const SAMPLE_RATE = 16_000;
/** Speech shorter than this is dropped, and gaps shorter than `MIN_GAP_SEC` are bridged. */
const MIN_TURN_SEC = 0.3;
const MIN_GAP_SEC = 0.5;
const MAX_PRINT_TURNS = 6;
const MAX_PRINT_TURN_SEC = 10;
/** Share of progress for sherpa's pass; the prints take the rest. */
const DIARIZE_SHARE = 0.9;
/** Threads per model: half the cores, at most 4, so a transcription beside it keeps going. */
const THREADS = Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2)));

// Not named `require`: the Electron bundle declares its own.
const load = createRequire(import.meta.url);
let sherpa: { module: SherpaModule; addon: SherpaAddon } | undefined;

function loadSherpa() {
  try {
    sherpa ??= {
      module: load('sherpa-onnx-node') as SherpaModule,
      addon: load('sherpa-onnx-node/addon.js') as SherpaAddon,
    };
    return sherpa;
  } catch (error) {
    throw new EngineError(
      'NATIVE_ADDON_MISSING',
      `The speaker-diarization library (sherpa-onnx-node) cannot be loaded: ${(error as Error).message}. Reinstall the app (npm ci) or transcribe without automatic speakers.`,
      { cause: error },
    );
  }
}

const label = (index: number) => `SPEAKER_${String(index).padStart(2, '0')}`;

/** Clamps ends to the audio, drops empty turns and renames speakers in order of first speech. */
function tidyTurns(segments: readonly Segment[], durationSec: number): SpeakerTurn[] {
  const names = new Map<number, string>();
  return [...segments]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((s) => ({ ...s, start: Math.max(0, s.start), end: Math.min(durationSec, s.end) }))
    .filter((s) => s.end > s.start)
    .map((s) => {
      let name = names.get(s.speaker);
      if (name === undefined) names.set(s.speaker, (name = label(names.size)));
      return { start: s.start, end: s.end, speaker: name };
    });
}

function normalised(vector: Float32Array | Float64Array): Float64Array {
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return Float64Array.from(vector, (v) => v / norm);
}

/** The duration-weighted mean of the unit embeddings of a speaker's longest turns. */
async function speakerPrint(
  context: SherpaContext,
  pcm: Float32Array,
  turns: readonly SpeakerTurn[],
  signal: AbortSignal | undefined,
): Promise<number[] | null> {
  const longest = [...turns].sort((a, b) => b.end - b.start - (a.end - a.start));
  let sum: Float64Array | null = null;
  for (const turn of longest.slice(0, MAX_PRINT_TURNS)) {
    // The event loop gets a turn between embeddings, so a cancel message is seen.
    await nextTurn();
    signal?.throwIfAborted();
    const seconds = Math.min(MAX_PRINT_TURN_SEC, turn.end - turn.start);
    const middle = (turn.start + turn.end) / 2;
    const from = Math.round((middle - seconds / 2) * SAMPLE_RATE);
    const stream = context.extractor.createStream();
    stream.acceptWaveform({
      samples: pcm.subarray(from, from + Math.round(seconds * SAMPLE_RATE)),
      sampleRate: SAMPLE_RATE,
    });
    stream.inputFinished();
    if (!context.extractor.isReady(stream)) continue;
    const embedding = normalised(context.extractor.compute(stream, false));
    sum ??= new Float64Array(embedding.length);
    for (let d = 0; d < embedding.length; d++) sum[d]! += embedding[d]! * seconds;
  }
  return sum ? Array.from(normalised(sum)) : null;
}

export const sherpaRuntime: WhisperRuntime<SherpaContext> = {
  async loadModel({ path, companionPath }) {
    if (!companionPath) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        'A diarization needs a speaker-embedding model beside the segmentation model.',
      );
    }
    await checkDiarizationModels({ segmentation: path, embedding: companionPath });
    const { module } = loadSherpa();
    try {
      return {
        diarizer: new module.OfflineSpeakerDiarization({
          segmentation: { pyannote: { model: path }, numThreads: THREADS },
          embedding: { model: companionPath, numThreads: THREADS },
          clustering: { numClusters: -1, threshold: 0.5 },
          minDurationOn: MIN_TURN_SEC,
          minDurationOff: MIN_GAP_SEC,
        }),
        extractor: new module.SpeakerEmbeddingExtractor({
          model: companionPath,
          numThreads: THREADS,
        }),
      };
    } catch (error) {
      throw new EngineError(
        'MODEL_LOAD_FAILED',
        `sherpa-onnx could not load the diarization models: ${(error as Error).message}.`,
        { cause: error, details: { path, companionPath, fix: 'redownload-model' satisfies Fix } },
      );
    }
  },

  async transcribe(context, pcm, params, { onProgress, signal }) {
    const { numClusters, threshold } = params as unknown as SherpaDiarizeParams;
    context.diarizer.setConfig({ clustering: { numClusters: numClusters ?? -1, threshold } });
    let segments: Segment[];
    try {
      segments = await loadSherpa().addon.offlineSpeakerDiarizationProcessAsync(
        context.diarizer.handle,
        pcm,
        (done, total) => {
          onProgress?.((DIARIZE_SHARE * done) / Math.max(1, total));
          return 0;
        },
      );
    } catch (error) {
      if (isEngineError(error)) throw error;
      throw new EngineError(
        'TRANSCRIBE_FAILED',
        `Speaker diarization failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    // sherpa-onnx cannot be interrupted; a cancel that came meanwhile takes effect now.
    signal?.throwIfAborted();
    const turns = tidyTurns(segments, pcm.length / SAMPLE_RATE);
    const prints: Record<string, number[]> = {};
    const speakers = [...new Set(turns.map((t) => t.speaker))];
    for (const [index, speaker] of speakers.entries()) {
      const print = await speakerPrint(
        context,
        pcm,
        turns.filter((t) => t.speaker === speaker),
        signal,
      );
      if (print) prints[speaker] = print;
      onProgress?.(DIARIZE_SHARE + ((1 - DIARIZE_SHARE) * (index + 1)) / speakers.length);
    }
    const result: SherpaDiarization = { turns, prints };
    return result;
  },

  // The native objects are freed with their JS wrappers by the garbage collector.
  freeModel() {},
  deviceOf: () => 'cpu',
};
