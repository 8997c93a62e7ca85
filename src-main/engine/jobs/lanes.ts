import { EngineError } from '../errors';
import type { JobLane } from '../store/jobs-repo';

/**
 * Which lanes each job kind may use, the first being its default. The server decides: a
 * transcription is batch work, re-transcribing a span is what an editor waits for, an export may
 * be either. No job uses the live lane: that belongs to live captions (`WS /v1/live`), which must
 * never wait behind a file. Kinds not listed here (engine-internal ones) take any lane.
 */
export const jobKindLanes: Readonly<Record<string, readonly JobLane[]>> = {
  transcribe: ['batch'],
  'retranscribe-span': ['interactive'],
  export: ['batch', 'interactive'],
};

/** The lane a job of `kind` runs in: `requested` if the kind allows it, else INVALID_ARGUMENT. */
export function laneFor(kind: string, requested?: JobLane): JobLane {
  const allowed = jobKindLanes[kind];
  if (!allowed) return requested ?? 'batch';
  if (requested === undefined) return allowed[0]!;
  if (!allowed.includes(requested)) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `${/^[aeiou]/.test(kind) ? 'An' : 'A'} ${kind} job cannot run in the ${requested} lane: the server picks the lane (${kind} → ${allowed.join(' or ')}${requested === 'live' ? '; the live lane is only for live captions' : ''}). Leave "lane" out.`,
      { details: { kind, lane: requested, allowed } },
    );
  }
  return requested;
}

/** The lane a retried job gets: its old one if still allowed (rows from older versions may not be). */
export const retryLane = (kind: string, lane: JobLane): JobLane =>
  jobKindLanes[kind]?.includes(lane) === false ? laneFor(kind) : lane;
