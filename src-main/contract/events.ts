import { z } from 'zod';
import { jobView } from './jobs';

/**
 * `WS /v1/events`: the engine's job events as JSON text frames. The server speaks first
 * (`hello`), then sends every job change and every piece of streamed job output; the client
 * only ever needs to send `ping`.
 */

/** Upgrade query. `ticket` (browsers) is read by the security hook. */
export const eventsQuery = z.object({
  /** Only events of this job. */
  jobId: z.string().min(1).optional(),
});
export type EventsQuery = z.infer<typeof eventsQuery>;

/** The output a transcribe job streams: each Whisper segment as soon as it is decoded. */
export const segmentOutput = z.object({
  type: z.literal('segment'),
  transcriptId: z.string(),
  /** Times in ms of the media. */
  segment: z.object({ t0: z.number(), t1: z.number(), text: z.string() }),
});
export type SegmentOutput = z.infer<typeof segmentOutput>;

/** Machine-readable failures sent on an open socket. `code` comes from the engine's registry. */
export const socketError = z.object({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
});
export type SocketError = z.infer<typeof socketError>;

export const eventsServerMessage = z.discriminatedUnion('type', [
  /** First message on every connection. */
  z.object({
    type: z.literal('hello'),
    /** Bumped on incompatible changes to these messages. */
    protocol: z.literal(1),
    /** The `?jobId=` filter in force, or null for all jobs. */
    jobId: z.string().nullable(),
  }),
  /** A job's new state (queued, progress, finished, …). Only the latest state of a job matters. */
  z.object({ type: z.literal('job'), job: jobView }),
  /** Streamed output of a running job: a `segment` for transcribe jobs. */
  z.object({
    type: z.literal('job-output'),
    jobId: z.string(),
    output: z.union([segmentOutput, z.record(z.string(), z.unknown())]),
  }),
  z.object({ type: z.literal('pong') }),
  socketError,
]);
export type EventsServerMessage = z.infer<typeof eventsServerMessage>;

export const eventsClientMessage = z.discriminatedUnion('type', [
  /** Answered with `pong` (a keep-alive that proxies and browsers can see). */
  z.object({ type: z.literal('ping') }),
]);
export type EventsClientMessage = z.infer<typeof eventsClientMessage>;
