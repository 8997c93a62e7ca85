/**
 * The speaker work that runs in the diarization worker process (diarization-worker-entry.ts),
 * never in the engine's: the built-in fallback diarizer (≈2 ms of JS per second of audio, then
 * up to ~0.3 s of clustering in one go) and "one speaker per channel" (a VAD pass and a level
 * meter per channel). Each decodes the file itself (ffmpeg, a child of the worker) and runs the
 * Silero VAD it needs with the addon in this process. The engine asks for them through
 * `DiarizationService.fallback` / `.channels` (neural/diarization-service.ts), which forwards
 * progress and kills the worker when a cancelled run does not stop in time.
 */
import type { TimeRange } from '../../contract/time-range';
import { diarizeWithoutModel, type FallbackDiarization } from '../diarization/fallback-diarizer';
import type { SpeakerTurn } from '../diarization/speaker-turns';
import { decodeAudio, type DecodeOptions } from '../media/decode';
import type { FfmpegTools } from '../media/ffmpeg-tools';
import type { WorkerOps } from '../pool/worker-main';
import { detectSpeechRegions, type SpeechRegionsDeps } from '../vad/speech-regions';
import { detectSpeech } from '../whisper/addon';
import { channelSpeakerTurns } from './channel-turns';

/** Where the audio is, for both operations. */
export interface SpeakerAudio {
  tools: FfmpegTools;
  file: string;
  /** The audio stream the probe chose. */
  streamIndex: number;
  /** The Silero VAD model (ggml). */
  vadModelPath: string;
}

/** Input of the `fallback-speakers` operation. */
export interface FallbackSpeakersInput extends SpeakerAudio {
  /** The transcription's speech regions, or null to find them here first. */
  speech: TimeRange[] | null;
  numSpeakers?: number;
  minSpeakers?: number;
  maxSpeakers?: number;
}

/** Input of the `channel-speakers` operation. */
export interface ChannelSpeakersInput extends SpeakerAudio {
  channels: number;
}

export type FallbackSpeakersResult = Pick<FallbackDiarization, 'note' | 'turns' | 'voices'>;
export type ChannelSpeakersResult = SpeakerTurn[];

const vadDeps = ({ tools, streamIndex, vadModelPath }: SpeakerAudio): SpeechRegionsDeps => ({
  decode: (path: string, options: DecodeOptions) =>
    decodeAudio(tools, path, { ...options, streamIndex }),
  vadModelPath,
  detect: detectSpeech,
});

/** The fallback diarizer over a file: the speech regions (given, or found here), then the audio. */
export async function fallbackSpeakers(
  input: FallbackSpeakersInput,
  { signal, onProgress }: { signal: AbortSignal; onProgress: (fraction: number) => void },
): Promise<FallbackSpeakersResult> {
  const deps = vadDeps(input);
  const speech =
    input.speech ??
    (await detectSpeechRegions(deps, input.file, { signal, onProgress: () => onProgress(0) }));
  // One-second pieces: the diarizer analyses each as it arrives.
  const audio = deps.decode(input.file, { chunkSamples: 16_000, signal });
  const result = await diarizeWithoutModel(
    audio,
    speech.map((r) => ({ start: r.startMs / 1000, end: r.endMs / 1000 })),
    {
      ...(input.numSpeakers === undefined ? {} : { numSpeakers: input.numSpeakers }),
      ...(input.minSpeakers === undefined ? {} : { minSpeakers: input.minSpeakers }),
      ...(input.maxSpeakers === undefined ? {} : { maxSpeakers: input.maxSpeakers }),
      signal,
      onProgress,
    },
  );
  return { note: result.note, turns: result.turns, voices: result.voices };
}

/** The operations the diarization worker answers besides sherpa-onnx's diarization. */
export const speakerOps: WorkerOps = {
  // The engine's DiarizationService is the only sender of these inputs.
  'fallback-speakers': (input, context) =>
    fallbackSpeakers(input as FallbackSpeakersInput, context),
  'channel-speakers': (input, { signal, onProgress }) => {
    const request = input as ChannelSpeakersInput;
    return channelSpeakerTurns(vadDeps(request), request.file, {
      channels: request.channels,
      streamIndex: request.streamIndex,
      signal,
      onProgress,
    });
  },
};
