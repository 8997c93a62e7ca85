import { z } from 'zod';
import { captionPresetId } from './document';
import { absolutePath } from './media';
import { speakerDetection } from './speakers';

export const mediaLimits = z.object({
  /** Longest media accepted, in seconds. @default 43200 (12 hours) */
  maxDurationSec: z
    .number()
    .positive()
    .default(12 * 3600),
  /** Largest media file accepted, in bytes. @default 21474836480 (20 GiB) */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(20 * 1024 ** 3),
});
export type MediaLimits = z.infer<typeof mediaLimits>;

/** User settings. Every field has a default so an empty library is fully configured. */
export const settings = z.object({
  /** Absolute path to ffmpeg; null searches FFMPEG_PATH, then PATH. @default null */
  ffmpegPath: z.string().min(1).nullable().default(null),
  /** Absolute path to ffprobe; null searches FFPROBE_PATH, then PATH. @default null */
  ffprobePath: z.string().min(1).nullable().default(null),
  mediaLimits: mediaLimits.default(() => mediaLimits.parse({})),
  /** Catalog id of the Whisper model used when a job names none. @default null */
  defaultModel: z.string().min(1).nullable().default(null),
  /**
   * Language of a transcription that names none: 'auto' to detect, or a code whisper.cpp knows
   * (`fr`, not `french`; the list: common/whisper-languages.ts, and a refusal's
   * `details.accepted`), one the default model can transcribe. @default 'auto'
   */
  defaultLanguage: z.string().min(2).max(12).default('auto'),
  /** Skip silence with the Silero VAD (when installed) unless a job says otherwise. @default true */
  vad: z.boolean().default(true),
  /** Caption preset of a transcription that names none. @default 'broadcast' */
  defaultPreset: captionPresetId.exclude(['custom']).default('broadcast'),
  /** Speaker detection of a transcription that names none. @default off */
  defaultSpeakers: speakerDetection.default({ mode: 'off' }),
  /** Whisper worker processes; null decides from the hardware. @default null */
  workers: z.number().int().min(1).max(16).nullable().default(null),
  /** CPU threads per worker; null decides from the hardware. @default null */
  threadsPerWorker: z.number().int().min(1).max(64).nullable().default(null),
  /** Use a GPU when this build and machine have one; the CPU is the recorded fallback. @default true */
  useGpu: z.boolean().default(true),
  /** Jobs that may wait in the queue; more are refused (HTTP 429) until it drains. @default 500 */
  maxQueuedJobs: z.number().int().min(1).max(100_000).default(500),
  /**
   * Folders, besides the data folder's `exports/`, where export jobs (`POST /v1/jobs` with kind
   * `export`) may write. Absolute paths. @default []
   */
  exportFolders: z.array(absolutePath.max(4096)).max(32).default([]),
});
export type Settings = z.infer<typeof settings>;
export const settingsPatch = settings.partial();
export type SettingsPatch = z.infer<typeof settingsPatch>;
