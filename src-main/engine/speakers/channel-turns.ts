/**
 * "One speaker per channel": for recordings where each person has their own microphone on their
 * own channel (phone interviews, podcasts recorded as multitrack and mixed to stereo, …). Every
 * channel's speech is found with the VAD, and its loudness is measured in 100 ms frames on the
 * same decode. A microphone also picks up the other people, faintly: a channel's speech counts
 * only where that channel is within `bleedDb` of the loudest channel, so the bleed of a voice
 * into the other microphone is not taken for a second speaker, while two people talking at once
 * (both loud on their own channel) stay overlapping turns.
 *
 * Memory: one decode per channel, streamed; the levels take 40 bytes per second per channel.
 *
 * Runs in the diarization worker (speaker-ops.ts): a 3-hour recording's turns take a while of
 * plain JS at the end.
 */
import type { TimeRange } from '../../contract/time-range';
import { abortReason, EngineError } from '../errors';
import { DECODE_SAMPLE_RATE } from '../media/decode';
import {
  detectSpeechRegions,
  type SpeechRegionsDeps,
  type SpeechRegionsOptions,
} from '../vad/speech-regions';
import type { SpeakerTurn } from '../diarization/speaker-turns';

export interface ChannelTurnsOptions extends Pick<SpeechRegionsOptions, 'streamIndex' | 'signal'> {
  /** Channels in the stream (`MediaProbe.audio.channels`). */
  channels: number;
  /**
   * A channel's speech counts where it is at most this much quieter than the loudest channel.
   * @default 12
   */
  bleedDb?: number;
  /**
   * Shorter stretches left after removing bleed are dropped.
   * @default 200
   */
  minTurnMs?: number;
  /** 0..1 over all channels. */
  onProgress?: (fraction: number) => void;
}

const FRAME_MS = 100;
const FRAME_SAMPLES = (DECODE_SAMPLE_RATE * FRAME_MS) / 1000;
/** The level of digital silence, so that log10(0) never appears. */
const FLOOR_DB = -120;

/** The speaker label of a channel (0-based). */
export const channelLabel = (channel: number) => `channel-${channel + 1}`;

/** RMS level in dBFS of consecutive 100 ms frames of a stream of samples. */
class FrameLevels {
  readonly levels: number[] = [];
  #sum = 0;
  #count = 0;

  add(samples: Float32Array): void {
    for (const sample of samples) {
      this.#sum += sample * sample;
      if (++this.#count === FRAME_SAMPLES) this.#close();
    }
  }

  finish(): number[] {
    if (this.#count > 0) this.#close();
    return this.levels;
  }

  #close(): void {
    const rms = Math.sqrt(this.#sum / this.#count);
    this.levels.push(rms > 0 ? Math.max(FLOOR_DB, 20 * Math.log10(rms)) : FLOOR_DB);
    this.#sum = 0;
    this.#count = 0;
  }
}

/**
 * One speaker per channel: turns (seconds) labelled `channel-1`, `channel-2`, … in time order. Rejects with
 * INVALID_ARGUMENT for fewer than two channels, or whatever the VAD or the decoder rejects with.
 */
export async function channelSpeakerTurns(
  deps: SpeechRegionsDeps,
  file: string,
  options: ChannelTurnsOptions,
): Promise<SpeakerTurn[]> {
  const { channels, streamIndex, signal, onProgress, bleedDb = 12, minTurnMs = 200 } = options;
  if (!Number.isInteger(channels) || channels < 2) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `"One speaker per channel" needs a recording with two or more channels; this one has ${channels}. Use automatic speaker detection instead.`,
      { details: { option: 'channels' } },
    );
  }
  const perChannel: { regions: TimeRange[]; levels: number[] }[] = [];
  for (let channel = 0; channel < channels; channel++) {
    const meter = new FrameLevels();
    // The VAD's own decode also feeds the level meter: one pass over the file per channel.
    const tapped: SpeechRegionsDeps = {
      ...deps,
      decode: async function* (path, decodeOptions) {
        for await (const samples of deps.decode(path, decodeOptions)) {
          meter.add(samples);
          yield samples;
        }
      },
    };
    const regions = await detectSpeechRegions(tapped, file, {
      channel,
      ...(streamIndex === undefined ? {} : { streamIndex }),
      ...(signal ? { signal } : {}),
    });
    perChannel.push({ regions, levels: meter.finish() });
    onProgress?.((channel + 1) / channels);
  }
  if (signal?.aborted) throw abortReason(signal, 'Finding the speakers of each channel');

  const loudest = (frame: number) =>
    Math.max(...perChannel.map(({ levels }) => levels[frame] ?? FLOOR_DB));
  const turns: SpeakerTurn[] = [];
  perChannel.forEach(({ regions, levels }, channel) => {
    const speaker = channelLabel(channel);
    for (const region of regions) {
      const { startMs, endMs } = region;
      let runStart: number | null = null;
      const close = (at: number) => {
        if (runStart !== null && at - runStart >= minTurnMs) {
          turns.push({ start: runStart / 1000, end: at / 1000, speaker });
        }
        runStart = null;
      };
      for (let frame = Math.floor(startMs / FRAME_MS); frame * FRAME_MS < endMs; frame++) {
        const own = levels[frame] ?? FLOOR_DB;
        if (own >= loudest(frame) - bleedDb) {
          runStart ??= Math.max(startMs, frame * FRAME_MS);
        } else {
          close(frame * FRAME_MS);
        }
      }
      close(endMs);
    }
  });
  return turns.sort((a, b) => a.start - b.start || a.end - b.end);
}
