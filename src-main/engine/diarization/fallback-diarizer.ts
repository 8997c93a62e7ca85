/**
 * The zero-download diarizer: who speaks when, with no model file, for when the neural models
 * are absent. It is LOWER QUALITY than a neural speaker-embedding pipeline and says so in its
 * result (`diarizer: 'fallback'` and `note`):
 *
 * 1. The speech regions (the caller's Silero VAD output) are cut into 0.5 s blocks; each block
 *    keeps its summed MFCCs while the audio streams past (speech-blocks.ts).
 * 2. Each block gets an embedding: its mean MFCC over 1.5 s of context, standardised over the
 *    file (block-embeddings.ts).
 * 3. Recordings with more than `maxClusterItems` blocks (2000 ≈ 17 minutes of speech) are first
 *    cut at the likeliest speaker changes by merging neighbouring blocks (neighbour-merging.ts).
 * 4. Average-linkage clustering on cosine distance (agglomerative.ts) stops at `numSpeakers`
 *    clusters when given. Otherwise it joins clusters closer than `threshold`, within
 *    [minSpeakers, maxSpeakers], and then joins clusters whose average spectra differ by less
 *    than `minDifferenceDb` (similar-clusters.ts). Unless `minSpeakers` asks for more, it is one
 *    speaker when the tree's top split does not alternate in time (speaker-returns.ts).
 * 5. Runs of blocks with one label become turns, cut at region edges.
 *
 * Known weaknesses: overlapped speech gets one speaker; turn edges inside a region fall on the
 * 0.5 s block grid; two similar voices on one channel are often confused; and the speaker count
 * it finds on its own is rough. A single voice that drifts once comes out as one speaker, but
 * one whose sound keeps changing back and forth (crowd noise, distance, music) may come out as
 * two, and two speakers who each speak only once (A then B) as one; pass `numSpeakers` (or
 * `minSpeakers` / `maxSpeakers`) when the number is known.
 *
 * Memory: the audio is analysed as it streams and dropped; a speech block keeps ~300 bytes
 * (≈2 MB per hour of speech), and clustering briefly adds ~1 KB per block plus a matrix of at
 * most `maxClusterItems`² Float32 (16 MB), besides the caller's audio chunks. Measured on
 * continuous synthetic speech: peak RSS 127 MB for 15 minutes, 146 MB for 1 hour, 178 MB for
 * 3 hours (Node itself: ~94 MB). Reading stops after the last region.
 *
 * Time and threads: runs on the calling thread, synchronously for one audio chunk at a time
 * (≈2 ms per second of audio on one core: ~65 ms for decodeAudio's default 30 s chunks), then
 * once for the clustering (~0.3 s for 3 hours of speech); run it in a worker where the event
 * loop must stay responsive. Deterministic: the same audio and regions give the same turns.
 */
import { abortReason, EngineError } from '../errors';
import { unionRegions, type TimeRegion } from '../quality/speech-score';
import { averageLinkage, clusterCount, cutTree } from './agglomerative';
import { blockEmbeddings } from './block-embeddings';
import { mergeNeighbours } from './neighbour-merging';
import { clusterSums, meanOf, mergeSimilarClusters } from './similar-clusters';
import { speakersReturn } from './speaker-returns';
import type { SpeakerTurn } from './speaker-turns';
import { SpeechBlockCollector, type SpeechBlock } from './speech-blocks';

/** What the result says about where it came from, for the UI and the API to show. */
export const FALLBACK_DIARIZER_NOTE =
  'Speakers were found by the built-in fallback (spectral statistics and clustering, no model): expect more mistakes than with the neural diarization models, especially with similar voices, short turns and overlapping speech.';

/**
 * Average cosine distance under which clusters are joined when the number of speakers is not
 * given. 1 means unrelated (orthogonal on average), so only clusters that point apart around the
 * file's average voice stay separate. Measured on the three two-speaker recordings of
 * test-data/fixtures/diarization: the merge from 3 to 2 clusters happens at 0.99–1.08 and the
 * one from 2 to 1 at 1.21–1.27; 1.15 sits in the middle of that gap.
 */
export const DEFAULT_FALLBACK_THRESHOLD = 1.15;

/**
 * Smallest difference between two speakers' average spectra (dB, RMS over the mel bands, level
 * removed) when the number of speakers is not given. Measured when split in two: one synthetic
 * voice 0.9–1.2 dB (__fixtures__/synthetic-voices.ts), the real two-speaker recordings 1.7
 * (dev00), 2.0 (dev01) and 2.9 dB (sample); but real one-speaker recordings 2.7 (LibriVox) and
 * 3.4 dB (jfk.wav), which this floor therefore cannot catch.
 */
export const DEFAULT_MIN_SPECTRAL_DIFFERENCE_DB = 1.5;

/** Share of progress reported while the audio is analysed; clustering takes the rest. */
const ANALYSIS_SHARE = 0.95;

export interface FallbackDiarizerOptions {
  /** Exactly this many speakers (fewer if the speech is too short to hold them). */
  numSpeakers?: number;
  /** @default 1 */
  minSpeakers?: number;
  /** @default no limit */
  maxSpeakers?: number;
  /**
   * Average cosine distance (0 … 2) under which clusters are joined when `numSpeakers` is not
   * given: lower finds more speakers.
   * @default DEFAULT_FALLBACK_THRESHOLD
   */
  threshold?: number;
  /**
   * When `numSpeakers` is not given, clusters whose average spectra differ by less than this
   * (dB, RMS over the mel bands, overall level removed) are joined into one speaker.
   * @default DEFAULT_MIN_SPECTRAL_DIFFERENCE_DB
   */
  minDifferenceDb?: number;
  /**
   * Most items the O(n²) clustering takes (memory: n² × 4 bytes); recordings with more speech
   * blocks are first cut at the likeliest speaker changes down to this many segments.
   * @default 2000
   */
  maxClusterItems?: number;
  /**
   * Stops reading the audio; the promise rejects with CANCELLED (or `signal.reason`). Give the
   * decoder the same signal, so that an abort also ends a read that is waiting for ffmpeg.
   */
  signal?: AbortSignal;
  /** Called with the fraction done, from 0 to 1. */
  onProgress?: (fraction: number) => void;
}

export interface FallbackDiarization {
  diarizer: 'fallback';
  note: string;
  /** Speaker turns in time order; never overlapping. */
  turns: SpeakerTurn[];
  /** SPEAKER_00, SPEAKER_01, … in the order they first speak. */
  speakers: string[];
  /**
   * Each speaker's average spectrum (`meanOf`): a rough voice print, compared across recordings
   * with `voiceDifferenceDb`. It changes with the microphone and the room, so matches are only
   * suggestions.
   */
  voices: Record<string, number[]>;
}

/**
 * Diarizes `audio` (16 kHz mono samples from the start of the recording, e.g.
 * `decodeAudio(tools, file)`) inside the `speech` regions (seconds; any order, may overlap).
 * Reading stops after the last region. Rejects with INVALID_ARGUMENT for bad options or
 * regions, CANCELLED, or whatever the audio iterator rejects with (DECODE_FAILED…).
 */
export async function diarizeWithoutModel(
  audio: AsyncIterable<Float32Array>,
  speech: readonly TimeRegion[],
  options: FallbackDiarizerOptions = {},
): Promise<FallbackDiarization> {
  const { signal, onProgress } = options;
  checkOptions(options);
  const regions = unionRegions(checkRegions(speech));
  const what = 'Diarization';
  if (signal?.aborted) throw abortReason(signal, what);

  const collector = new SpeechBlockCollector(regions);
  if (!collector.done) {
    for await (const chunk of audio) {
      if (signal?.aborted) throw abortReason(signal, what);
      collector.push(chunk);
      onProgress?.(ANALYSIS_SHARE * collector.progress);
      if (collector.done) break;
    }
  }
  if (signal?.aborted) throw abortReason(signal, what);
  const blocks = collector.finish();
  const labels = speakerLabels(blocks, options);
  const turns = toTurns(blocks, labels);
  onProgress?.(1);
  return {
    diarizer: 'fallback',
    note: FALLBACK_DIARIZER_NOTE,
    turns,
    speakers: [...new Set(turns.map((t) => t.speaker))],
    voices: voicePrints(blocks, labels),
  };
}

const speakerName = (label: number) => `SPEAKER_${String(label).padStart(2, '0')}`;

/** The average spectrum of each speaker's blocks. */
function voicePrints(blocks: readonly SpeechBlock[], labels: Int32Array): Record<string, number[]> {
  return Object.fromEntries(
    [...clusterSums(blocks, labels)].map(([label, cluster]) => [
      speakerName(label),
      meanOf(cluster),
    ]),
  );
}

/** The cluster of each block, numbered in order of first appearance. */
function speakerLabels(
  blocks: readonly SpeechBlock[],
  options: FallbackDiarizerOptions,
): Int32Array {
  if (blocks.length === 0) return new Int32Array(0);
  const {
    numSpeakers,
    minSpeakers,
    maxSpeakers,
    threshold = DEFAULT_FALLBACK_THRESHOLD,
    minDifferenceDb = DEFAULT_MIN_SPECTRAL_DIFFERENCE_DB,
    maxClusterItems = 2000,
  } = options;
  const segments = mergeNeighbours(blockEmbeddings(blocks), maxClusterItems);
  const n = segments.vectors.length;
  const merges = averageLinkage(segments.vectors, segments.weights);
  if (numSpeakers !== undefined) {
    const segmentLabels = cutTree(n, merges, numSpeakers);
    return segments.segmentOf.map((s) => segmentLabels[s]!);
  }
  const count = clusterCount(n, merges, { threshold, min: minSpeakers, max: maxSpeakers });
  if (count > 1 && (minSpeakers ?? 1) < 2) {
    const top = cutTree(n, merges, 2);
    const split = segments.segmentOf.map((s) => top[s]!);
    if (!speakersReturn(blocks, split)) return new Int32Array(blocks.length);
  }
  const segmentLabels = cutTree(n, merges, count);
  const labels = segments.segmentOf.map((s) => segmentLabels[s]!);
  return mergeSimilarClusters(blocks, labels, minDifferenceDb, minSpeakers);
}

/** Joins consecutive blocks of one region and one label into turns. */
function toTurns(blocks: readonly SpeechBlock[], labels: Int32Array): SpeakerTurn[] {
  const turns: SpeakerTurn[] = [];
  let lastRegion = -1;
  blocks.forEach((block, i) => {
    const speaker = speakerName(labels[i]!);
    const last = turns.at(-1);
    if (last && last.speaker === speaker && block.region === lastRegion) {
      last.end = block.end;
    } else {
      turns.push({ start: block.start, end: block.end, speaker });
    }
    lastRegion = block.region;
  });
  return turns.map((t) => ({ start: roundMs(t.start), end: roundMs(t.end), speaker: t.speaker }));
}

function checkOptions(options: FallbackDiarizerOptions): void {
  const { numSpeakers, minSpeakers, maxSpeakers, threshold, minDifferenceDb, maxClusterItems } =
    options;
  const count = (value: number | undefined) =>
    value === undefined || (Number.isInteger(value) && value >= 1);
  const problems = [
    count(numSpeakers) ? '' : 'numSpeakers must be an integer ≥ 1',
    count(minSpeakers) ? '' : 'minSpeakers must be an integer ≥ 1',
    count(maxSpeakers) ? '' : 'maxSpeakers must be an integer ≥ 1',
    minSpeakers !== undefined && maxSpeakers !== undefined && minSpeakers > maxSpeakers
      ? 'minSpeakers must not exceed maxSpeakers'
      : '',
    numSpeakers !== undefined && (minSpeakers !== undefined || maxSpeakers !== undefined)
      ? 'give either numSpeakers or minSpeakers/maxSpeakers, not both'
      : '',
    threshold === undefined || (Number.isFinite(threshold) && threshold >= 0 && threshold <= 2)
      ? ''
      : 'threshold must be a number from 0 to 2',
    minDifferenceDb === undefined || (Number.isFinite(minDifferenceDb) && minDifferenceDb >= 0)
      ? ''
      : 'minDifferenceDb must be a finite number ≥ 0',
    maxClusterItems === undefined || (Number.isInteger(maxClusterItems) && maxClusterItems >= 2)
      ? ''
      : 'maxClusterItems must be an integer ≥ 2',
  ].filter((p) => p !== '');
  if (problems.length > 0) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Invalid diarization options: ${problems.join('; ')}.`,
      {
        details: { problems },
      },
    );
  }
}

function checkRegions(speech: readonly TimeRegion[]): readonly TimeRegion[] {
  const bad = speech.findIndex(
    (r) =>
      !(Number.isFinite(r.start) && Number.isFinite(r.end) && r.start >= 0 && r.end >= r.start),
  );
  if (bad >= 0) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Speech region ${bad} (${speech[bad]!.start}–${speech[bad]!.end} s) is not a finite span of seconds ≥ 0; pass the regions speech detection returned.`,
      { details: { index: bad } },
    );
  }
  return speech;
}

function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
