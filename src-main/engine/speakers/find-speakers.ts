/**
 * The speaker stage of a transcription: who speaks when, by the means the job asked for. `auto`
 * runs the neural diarization (sherpa-onnx in its worker) when a segmentation and an embedding
 * model are installed and the recording is at most MAX_NEURAL_AUDIO_SEC long, else the built-in
 * fallback diarizer (no model file; lower quality, and it says so). `channels` gives each channel
 * its own speaker. Both need the Silero VAD model, checked before any work by
 * `checkSpeakerDetection`.
 *
 * Everything heavy runs in the diarization worker process (speaker-ops.ts, sherpa-runtime.ts);
 * this module, in the engine's process, only decides and asks.
 */
import type { SpeakerDetection } from '../../contract/speakers';
import type { TimeRange } from '../../contract/time-range';
import type { DiarizationService } from '../diarization/neural/diarization-service';
import { diarizeNeural, MAX_NEURAL_AUDIO_SEC } from '../diarization/neural/neural-diarizer';
import type { NeuralModels } from '../diarization/neural/neural-models';
import type { SpeakerTurn } from '../diarization/speaker-turns';
import { EngineError } from '../errors';
import { decodeAudio } from '../media/decode';
import type { FfmpegTools } from '../media/ffmpeg-tools';
import { DEFAULT_VAD_MODEL_ID } from '../vad/speech-regions';
import type { Fix } from '../../common/remedies';

/** The kind of the fallback's voice prints (average spectra); only prints of one kind compare. */
export const FALLBACK_PRINT_KIND = 'fallback-spectrum-v1';

/** The kind of the neural diarizer's prints: embeddings of one model compare only with its own. */
export const NEURAL_PRINT_PREFIX = 'neural:';
export const neuralPrintKind = (embeddingModelId: string) =>
  `${NEURAL_PRINT_PREFIX}${embeddingModelId}`;

export interface FindSpeakersRequest {
  tools: FfmpegTools;
  file: string;
  streamIndex: number;
  /** Channels of the audio stream. */
  channels: number;
  /** The recording's duration (probe). */
  durationSec: number;
  detection: SpeakerDetection;
  /** Speech regions the transcription found, or null when it ran without the VAD. */
  speech: readonly TimeRange[] | null;
  vadModel: string;
  /** The diarization worker: the fallback and per-channel speakers run there. */
  diarization: Pick<DiarizationService, 'fallback' | 'channels'>;
  /** The neural diarization and its installed models; null runs the fallback. */
  neural: { service: DiarizationService; models: NeuralModels } | null;
  signal: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface FoundSpeakers {
  diarizer: 'fallback' | 'channels' | 'neural';
  /** What the user should know about the result: the fallback's lower quality, the models used. */
  note: string | null;
  /** Seconds; labels are the diarizer's own. */
  turns: SpeakerTurn[];
  /** Voice prints by label, when the diarizer measures them. */
  prints: { kind: string; byLabel: Record<string, number[]> } | null;
}

/**
 * Throws what stops speaker detection before the transcription starts: the VAD model missing,
 * or one speaker per channel asked of a recording with one channel.
 */
export function checkSpeakerDetection(
  detection: SpeakerDetection,
  vadModel: string | null,
  channels: number,
): void {
  if (detection.mode === 'off') return;
  if (!vadModel) {
    throw new EngineError(
      'MODEL_NOT_READY',
      `Finding speakers needs the voice-activity model "${DEFAULT_VAD_MODEL_ID}" (under 1 MB), which is not installed. Transcribe without speakers, or install it.`,
      { details: { modelId: DEFAULT_VAD_MODEL_ID, fix: 'download-model' satisfies Fix } },
    );
  }
  if (detection.mode === 'channels' && channels < 2) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `"One speaker per channel" needs a recording with two or more channels; this one has ${channels}. Choose "find automatically" instead.`,
      { details: { option: 'speakers.mode' } },
    );
  }
}

export async function findSpeakers(request: FindSpeakersRequest): Promise<FoundSpeakers> {
  const { tools, file, streamIndex, detection, signal, onProgress } = request;
  const audio = { tools, file, streamIndex, vadModelPath: request.vadModel };
  const control = { signal, ...(onProgress ? { onProgress } : {}) };

  if (detection.mode === 'channels') {
    const turns = await request.diarization.channels({
      ...audio,
      channels: request.channels,
      ...control,
    });
    return { diarizer: 'channels', note: null, turns, prints: null };
  }

  const { neural } = request;
  if (neural && request.durationSec <= MAX_NEURAL_AUDIO_SEC) {
    const { segmentation, embedding } = neural.models;
    const result = await diarizeNeural({
      ...neural,
      audio: decodeAudio(tools, file, {
        streamIndex,
        signal,
        durationSec: MAX_NEURAL_AUDIO_SEC + 1,
      }),
      durationSec: request.durationSec,
      detection,
      signal,
      ...(onProgress ? { onProgress } : {}),
    });
    return {
      diarizer: 'neural',
      note: `Speakers were found by the neural diarization models ${segmentation.id} (segmentation) and ${embedding.id} (speaker embeddings).`,
      turns: result.turns,
      prints: { kind: neuralPrintKind(embedding.id), byLabel: result.prints },
    };
  }

  // The transcription's speech regions when it found them, else the worker finds them first.
  const result = await request.diarization.fallback({
    ...audio,
    speech: request.speech ? [...request.speech] : null,
    ...(detection.count === undefined ? {} : { numSpeakers: detection.count }),
    ...(detection.min === undefined ? {} : { minSpeakers: detection.min }),
    ...(detection.max === undefined ? {} : { maxSpeakers: detection.max }),
    ...control,
  });
  const tooLong = neural
    ? ` The installed neural models were not used: the recording is longer than ${MAX_NEURAL_AUDIO_SEC / 60} minutes, more than they can hold in memory at once.`
    : '';
  return {
    diarizer: 'fallback',
    note: result.note + tooLong,
    turns: result.turns,
    prints: { kind: FALLBACK_PRINT_KIND, byLabel: result.voices },
  };
}
