import { z } from 'zod';
import { socketError } from './events';

/**
 * `WS /v1/live`: live captions. The client streams binary frames of raw PCM (signed 16-bit
 * little-endian, 16 kHz, mono; at most 1 s per frame) and ends with a text `{"type":"stop"}`.
 * The server answers with `partial` (the tentative tail, replaced by the next `partial`) and
 * `final` (committed words, never revised) events, then `end`, and closes with 1000.
 *
 * Close codes: 1000 after `end`; 1007 for a malformed audio frame (odd byte count, more than 1 s);
 * 1008 for a bad model or language; 1011 when no Whisper model is installed, decoding fails or the
 * recording cannot be written (DISK_FULL);
 * 1013 when the session limit is reached or the engine fell too far behind the audio. An `error`
 * event always says why first. A malformed text frame only gets an `error` event.
 */

export const liveSampleRate = 16_000;
/** The longest audio a single binary frame may carry. */
export const liveMaxFrameMs = 1000;

/** Upgrade query. `ticket` (browsers) is read by the security hook. */
export const liveQuery = z.object({
  /** ISO 639-1 code, or 'auto' to detect it from the first speech. @default 'auto' */
  language: z.string().min(2).max(32).optional(),
  /** A ready Whisper model. @default the `defaultModel` setting, else the first ready one */
  model: z.string().min(1).optional(),
  /**
   * 'false' keeps nothing (captions only). By default the audio is recorded and, after `stop` or
   * an idle timeout, added to the library with its transcript (ids in `end`); a session that ends
   * any other way (client gone, error, shutdown) leaves nothing behind.
   * @default 'true'
   */
  save: z.enum(['true', 'false']).optional(),
});
export type LiveQuery = z.infer<typeof liveQuery>;

export const liveWord = z.object({
  text: z.string(),
  /** Times in ms from the first sample of the session. */
  startMs: z.number().int().nonnegative(),
  endMs: z.number().int().nonnegative(),
  /** Word probability, 0..1. */
  p: z.number().min(0).max(1),
});
export type LiveWord = z.infer<typeof liveWord>;

export const liveServerMessage = z.discriminatedUnion('type', [
  /** Sent once the session is set up: the audio format the server expects. */
  z.object({
    type: z.literal('ready'),
    sessionId: z.string(),
    sampleRate: z.literal(liveSampleRate),
    format: z.literal('pcm_s16le'),
    channels: z.literal(1),
    modelId: z.string(),
    language: z.string(),
  }),
  /** The tentative text after everything final; the next `partial` replaces it ('' clears it). */
  z.object({
    type: z.literal('partial'),
    text: z.string(),
    startMs: z.number().int().nonnegative(),
    endMs: z.number().int().nonnegative(),
  }),
  /** Committed words, in order after every earlier `final`; never revised. */
  z.object({
    type: z.literal('final'),
    text: z.string(),
    startMs: z.number().int().nonnegative(),
    endMs: z.number().int().nonnegative(),
    words: z.array(liveWord),
  }),
  /** Decoding is behind the received audio by `behindMs`; the audio is kept and caught up. */
  z.object({ type: z.literal('lag'), behindMs: z.number().int().nonnegative() }),
  /**
   * After `stop` (or an idle timeout): everything is final; the socket closes with 1000. When the
   * session was saved (`save` not 'false' and some audio arrived), the library item holding the
   * recorded audio (WAV) and its transcript (the final words).
   */
  z.object({
    type: z.literal('end'),
    durationMs: z.number().int().nonnegative(),
    mediaId: z.string().optional(),
    transcriptId: z.string().optional(),
  }),
  socketError,
]);
export type LiveServerMessage = z.infer<typeof liveServerMessage>;
export type LiveEvent = Exclude<LiveServerMessage, { type: 'ready' }>;

export const liveClientMessage = z.discriminatedUnion('type', [
  /** No more audio: the server makes everything final, sends `end` and closes. */
  z.object({ type: z.literal('stop') }),
]);
export type LiveClientMessage = z.infer<typeof liveClientMessage>;
