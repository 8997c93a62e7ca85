import { z } from 'zod';

/**
 * Who speaks when, per transcription job. `auto` finds the speakers with the neural models when
 * they are installed, else with the built-in fallback (lower quality, no download); `channels`
 * gives each channel of a multi-channel recording its own speaker.
 */
export const speakerDetection = z
  .object({
    mode: z.enum(['off', 'auto', 'channels']).default('off'),
    /** Exactly this many speakers (`auto`). */
    count: z.number().int().min(1).max(32).optional(),
    /** At least / at most this many speakers (`auto`). */
    min: z.number().int().min(1).max(32).optional(),
    max: z.number().int().min(1).max(32).optional(),
  })
  .refine((o) => o.count === undefined || (o.min === undefined && o.max === undefined), {
    message: 'give either count or min/max, not both',
  })
  .refine((o) => o.min === undefined || o.max === undefined || o.min <= o.max, {
    message: 'min must not exceed max',
  });
export type SpeakerDetection = z.infer<typeof speakerDetection>;

const clip = z.object({ start: z.number().int(), end: z.number().int() });

/** A known voice the transcript's speaker sounds like; the user confirms or ignores it. */
export const voiceSuggestion = z.object({
  voiceId: z.string(),
  name: z.string(),
  /**
   * How far apart the voice prints are, smaller is closer: dB for the fallback's spectra, cosine
   * distance for neural embeddings (thresholds in `GET /v1/voices`).
   */
  distance: z.number(),
});

/** `GET /v1/transcripts/:id/speakers`: one row per speaker of the document. */
export const transcriptSpeaker = z.object({
  /** Null for the words nobody is assigned to. */
  id: z.string().nullable(),
  name: z.string(),
  talkMs: z.number().int().nonnegative(),
  words: z.number().int().nonnegative(),
  /** Up to 5 s of the speaker alone, to play (ms). */
  sample: clip.nullable(),
  /** The glossary's target words this speaker said, with counts. */
  targetCounts: z.record(z.string(), z.number().int().nonnegative()),
  /** The voice-library entry this speaker was confirmed as. */
  voiceId: z.string().nullable(),
  suggestion: voiceSuggestion.nullable(),
  /** Whether the diarization kept a voice print, so the speaker can be remembered. */
  canRemember: z.boolean(),
});
export type TranscriptSpeaker = z.infer<typeof transcriptSpeaker>;
export const transcriptSpeakers = z.object({
  speakers: z.array(transcriptSpeaker),
  /** How the speakers were found ('fallback', 'neural', 'channels'), or null without diarization. */
  diarizer: z.string().nullable(),
});

/** A voice in the library: a name and a voice print, reused to suggest names in new transcripts. */
export const voiceView = z.object({
  id: z.string(),
  name: z.string(),
  /** Which kind of print it holds; prints of different kinds are never compared. */
  kind: z.string(),
  /** Transcripts whose speaker was confirmed as this voice. */
  transcripts: z.number().int().nonnegative(),
  createdAt: z.string(),
});
export type VoiceView = z.infer<typeof voiceView>;
export const voiceList = z.object({
  voices: z.array(voiceView),
  /** By diarizer: prints at most this far apart are suggested (see `voiceSuggestion.distance`). */
  matchThresholds: z.record(z.string(), z.number()),
});

/** `POST /v1/voices`: remember a transcript's speaker under a name (also renames the speaker). */
export const createVoiceBody = z.object({
  transcriptId: z.string().min(1),
  speakerId: z.string().min(1),
  name: z.string().trim().min(1).max(100),
});

/** `POST /v1/transcripts/:id/speakers/:speakerId/confirm`: accept the suggestion. */
export const confirmVoiceBody = z.object({ voiceId: z.string().min(1) });
