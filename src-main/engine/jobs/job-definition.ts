/**
 * Typed jobs. A job kind is defined once, from contract schemas: what its parameters are (parsed
 * when the job is submitted, so a bad request is refused before anything is queued), what its
 * result is, and how it runs. A job is plain data — a kind, a lane, a media id and parameters
 * that are JSON — so it can be stored, retried, or handed to a worker elsewhere; the definition
 * is the one place that knows what those parameters and results look like.
 */
import type { z } from 'zod';
import { EngineError } from '../errors';
import { parseOrThrow } from '../parse';
import type { JobContext, JobHandler } from './job-runner';

export interface JobDefinition<Params, Result> {
  readonly kind: string;
  /** Parses parameters as they come (a request, a stored row): INVALID_ARGUMENT naming the field. */
  parseParams(raw: unknown): Params;
  /**
   * The result of a completed job of this kind, checked against its schema; CONFLICT when the
   * job is not a completed job of this kind.
   */
  resultOf(job: { id: string; kind: string; state: string; result: unknown }): Result;
  /** For the job runner: parses the stored parameters and runs the job. */
  readonly handler: JobHandler;
}

/** Any job definition, as the runner holds them. */
export interface RunnableJob {
  readonly kind: string;
  parseParams(raw: unknown): Record<string, unknown>;
  readonly handler: JobHandler;
}

export function defineJob<P extends z.ZodType, R extends z.ZodType>(definition: {
  kind: string;
  /** The stored parameters: complete, with every default applied. */
  params: P;
  result: R;
  /** What a parameter is called in messages: "transcription parameter". */
  paramName: string;
  run(context: JobContext, params: z.output<P>): Promise<z.output<R>>;
}): JobDefinition<z.output<P>, z.output<R>> & RunnableJob {
  const { kind, params, result, paramName, run } = definition;
  const parseParams = (raw: unknown): z.output<P> & Record<string, unknown> => {
    const parsed: unknown = parseOrThrow(params, raw, paramName);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new EngineError('INVALID_ARGUMENT', `The parameters of a ${kind} job are an object.`);
    }
    // Checked just above: an object schema's output is a plain record.
    return parsed as z.output<P> & Record<string, unknown>;
  };
  return {
    kind,
    parseParams,
    resultOf(job) {
      if (job.kind !== kind || job.state !== 'completed') {
        throw new EngineError(
          'CONFLICT',
          `Job ${job.id} is a ${job.kind} job that is ${job.state}; only a completed ${kind} job has this result.`,
        );
      }
      return parseOrThrow(result, job.result, `${kind} job result`);
    },
    // The stored row is a boundary too (an older version may have written it): parsed again.
    handler: async (context) => {
      const out = await run(context, parseParams(context.job.params));
      return parseOrThrow(result, out, `${kind} job result`);
    },
  };
}
