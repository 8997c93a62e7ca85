/**
 * The neural diarization of one recording: the whole audio in memory (sherpa-onnx takes it in
 * one piece), the worker run, and the speaker-count options.
 *
 * Memory bound: the decoded audio takes 64 KB per second (230 MB per hour) in the engine, and
 * again in the worker, where sherpa-onnx adds its segmentation output (16 KB per second) and a
 * distance matrix of n²/2 doubles over its n chunk embeddings (one per speaker active in each
 * 10 s chunk, chunks every second: n ≈ 2–3 per second of speech). Measured with the dummy
 * models of the tests on two voices taking turns non-stop (n ≈ 2/s): worker peak RSS 1.06 GB
 * for 1 hour (31 s on 2 cores), 2.4 GB for 2 hours. Recordings longer than MAX_NEURAL_AUDIO_SEC
 * are therefore not given to it; the caller uses the fallback for them and says why. (sherpa-onnx
 * itself computes the matrix size in 32-bit, which overflows past ~46,000 embeddings, about 4.3 h
 * of busy speech.)
 *
 * Speaker counts: `count` fixes the number of clusters. Otherwise clusters closer than
 * DEFAULT_NEURAL_THRESHOLD are joined; when the count found that way falls outside `min`/`max`,
 * the diarization runs again with the nearest bound as the fixed count (a second full run:
 * sherpa-onnx keeps nothing between runs). Fewer speakers than asked can still come back when
 * the recording holds too few distinct stretches of speech.
 */
import { abortReason } from '../../errors';
import { speakersOf, type SpeakerTurn } from '../speaker-turns';
import type { DiarizationService } from './diarization-service';
import type { NeuralModels } from './neural-models';

/** Longest recording given to the neural diarizer (1 hour); see the memory bound above. */
export const MAX_NEURAL_AUDIO_SEC = 3600;

const SAMPLE_RATE = 16_000;
/** Share of progress for reading the audio. */
const DECODE_SHARE = 0.1;

export interface NeuralDiarizerRequest {
  service: DiarizationService;
  models: NeuralModels;
  /** 16 kHz mono samples from the start of the recording, e.g. `decodeAudio(…)`. */
  audio: AsyncIterable<Float32Array>;
  /** The recording's duration (probe); audio beyond it (plus a second) is not read. */
  durationSec: number;
  detection: { count?: number; min?: number; max?: number };
  signal?: AbortSignal;
  /** The fraction done, 0 … 1. */
  onProgress?: (fraction: number) => void;
}

export interface NeuralDiarization {
  turns: SpeakerTurn[];
  /** Each speaker's embedding (unit length), by label. */
  prints: Record<string, number[]>;
}

/** Reads `audio` into one array sized from the probe, so the recording is held only once. */
async function readWhole(
  request: NeuralDiarizerRequest,
  onProgress: (fraction: number) => void,
): Promise<Float32Array> {
  const { audio, durationSec, signal } = request;
  const capacity = Math.ceil((Math.min(durationSec, MAX_NEURAL_AUDIO_SEC) + 1) * SAMPLE_RATE);
  const pcm = new Float32Array(capacity);
  let filled = 0;
  for await (const chunk of audio) {
    if (signal?.aborted) throw abortReason(signal, 'Reading the audio');
    const take = Math.min(chunk.length, capacity - filled);
    pcm.set(chunk.subarray(0, take), filled);
    filled += take;
    onProgress(filled / capacity);
    if (filled === capacity) break;
  }
  return pcm.subarray(0, filled);
}

/**
 * Diarizes a recording with the neural models in the diarization worker. Rejects with the
 * service's errors (MODEL_LOAD_FAILED, WORKER_CRASHED, CANCELLED) or the audio's (DECODE_FAILED).
 */
export async function diarizeNeural(request: NeuralDiarizerRequest): Promise<NeuralDiarization> {
  const { service, models, detection, signal, onProgress } = request;
  const pcm = await readWhole(request, (f) => onProgress?.(DECODE_SHARE * f));
  const clamps = detection.count === undefined && (detection.min ?? detection.max) !== undefined;
  // With min/max a second run may follow: the first gets half of the rest of the bar.
  const runShare = (1 - DECODE_SHARE) * (clamps ? 0.5 : 1);
  const run = (numClusters: number | undefined, from: number) =>
    service.diarize({
      segmentationPath: models.segmentation.path,
      embeddingPath: models.embedding.path,
      pcm,
      ...(numClusters === undefined ? {} : { numClusters }),
      ...(signal ? { signal } : {}),
      onProgress: (f) => onProgress?.(from + runShare * f),
    });

  const first = await run(detection.count, DECODE_SHARE);
  const found = speakersOf(first.turns).length;
  const { min, max } = detection;
  const target =
    detection.count !== undefined || found === 0
      ? undefined
      : min !== undefined && found < min
        ? min
        : max !== undefined && found > max
          ? max
          : undefined;
  const result = target === undefined ? first : await run(target, DECODE_SHARE + runShare);
  onProgress?.(1);
  return result;
}
