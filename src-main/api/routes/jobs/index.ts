import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponse } from '../../../contract/errors';
import {
  createJobBody,
  exportParams,
  jobList,
  jobListQuery,
  jobResultQuery,
  jobView,
} from '../../../contract/jobs';
import { idParams } from '../../../contract/media';
import { hasScope } from '../../../engine/auth/tokens';
import { EngineError } from '../../../engine/errors';
import type { JobSnapshot } from '../../../engine/jobs/job-runner';
import { laneFor } from '../../../engine/jobs/lanes';
import { exportBaseName, exportResponses, sendExport } from '../transcripts/export-reply';

const finished = (job: Pick<JobSnapshot, 'state'>) =>
  ['completed', 'failed', 'cancelled'].includes(job.state);

export const jobRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;
  const mustGet = (id: string) => {
    const job = engine.jobs.get(id);
    if (!job) throw new EngineError('NOT_FOUND', `There is no job ${id}.`);
    return job;
  };

  const transcriptMedia = (transcriptId: string) => {
    const transcript = engine.repos.transcripts.get(transcriptId);
    if (!transcript) throw new EngineError('NOT_FOUND', `There is no transcript ${transcriptId}.`);
    return transcript.mediaId;
  };

  app.post(
    '/jobs',
    {
      config: { scope: 'transcribe' },
      schema: {
        summary: 'Start a job: transcribe, retranscribe-span or export',
        body: createJobBody,
        response: {
          202: jobView,
          400: errorResponse,
          403: errorResponse,
          404: errorResponse,
          409: errorResponse,
          429: errorResponse,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      // The server decides lanes: a lane the kind may not use is refused before anything else.
      const lane = laneFor(body.kind, body.lane);
      if (body.kind === 'transcribe') {
        const job = engine.transcriptions.submit({
          mediaId: engine.media.get(body.mediaId).id,
          params: body.params,
          lane,
        });
        return reply.status(202).send(job);
      }
      if (body.kind === 'retranscribe-span') {
        return reply.status(202).send(engine.transcriptions.submitSpan(body.params, { lane }));
      }
      // Replacing a file the studio did not write is the admin's call; where it may write is
      // checked now (a clear 4xx instead of a failed job), and again when the job runs.
      if (body.params.overwrite && !hasScope(request.auth?.scopes ?? [], 'admin')) {
        throw new EngineError(
          'FORBIDDEN_SCOPE',
          'Replacing a file the studio did not write ("overwrite": true) needs an admin token. Choose a new file name instead.',
        );
      }
      await engine.exports.check(body.params);
      const job = engine.jobs.submit({
        kind: 'export',
        lane,
        // Every job names its media, so that removing the media stops it first.
        mediaId: transcriptMedia(body.params.transcriptId),
        params: body.params,
      });
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/jobs',
    {
      schema: {
        summary: 'List jobs, newest first, a page at a time',
        description:
          "Newest first, `limit` (default 100, at most 500) a page; pass the reply's `nextCursor` as `cursor` for the next page (null on the last). Filters: `state` (one or several: `state=queued,running`), `kind`, `mediaId`.",
        querystring: jobListQuery,
        response: { 200: jobList, 400: errorResponse },
      },
    },
    (request) => {
      const { state, ...rest } = request.query;
      return engine.jobs.list({ ...rest, ...(state ? { states: state } : {}) });
    },
  );

  app.get(
    '/jobs/:id',
    {
      schema: {
        summary: 'Get a job: state, stage, percent, ETA, result or error',
        params: idParams,
        response: { 200: jobView, 404: errorResponse },
      },
    },
    (request) => mustGet(request.params.id),
  );

  app.delete(
    '/jobs/:id',
    {
      // Whoever may start transcriptions may cancel them.
      config: { scope: 'transcribe' },
      schema: {
        summary: 'Cancel a queued or running job',
        params: idParams,
        response: { 200: jobView, 404: errorResponse, 409: errorResponse },
      },
    },
    (request) => {
      // The stored row is enough to decide (a view would work out the job's place in line).
      const job = engine.repos.jobs.get(request.params.id);
      if (!job) throw new EngineError('NOT_FOUND', `There is no job ${request.params.id}.`);
      if (finished(job)) {
        throw new EngineError(
          'CONFLICT',
          `Job ${job.id} has already ${job.state === 'cancelled' ? 'been cancelled' : job.state}; there is nothing to cancel.`,
        );
      }
      return engine.jobs.cancel(job.id);
    },
  );

  app.post(
    '/jobs/:id/retry',
    {
      config: { scope: 'transcribe' },
      schema: {
        summary: 'Run a finished job again as a new job',
        description:
          'A new job with the same kind, media, lane and parameters (the old one is kept). ' +
          '409 while the job is still queued or running.',
        params: idParams,
        response: { 202: jobView, 404: errorResponse, 409: errorResponse, 429: errorResponse },
      },
    },
    async (request, reply) => {
      const job = mustGet(request.params.id);
      // A transcription needs its media; removing that from the library detached the job.
      if (job.kind === 'transcribe' && finished(job)) {
        if (!job.mediaId) {
          throw new EngineError(
            'NOT_FOUND',
            `The media of job ${job.id} was removed from the library; add it again and start a new transcription.`,
          );
        }
        engine.media.get(job.mediaId);
      }
      // A retried export is checked like a new one, by the caller who retries it.
      if (job.kind === 'export') {
        const params = exportParams.parse(job.params);
        if (params.overwrite && !hasScope(request.auth?.scopes ?? [], 'admin')) {
          throw new EngineError(
            'FORBIDDEN_SCOPE',
            'This export replaces a file the studio did not write ("overwrite": true); retrying it needs an admin token.',
          );
        }
        await engine.exports.check(params);
      }
      return reply.status(202).send(engine.jobs.retry(job.id));
    },
  );

  app.get(
    '/jobs/:id/result',
    {
      schema: {
        summary: 'Download the transcript a completed job made',
        params: idParams,
        querystring: jobResultQuery,
        response: { ...exportResponses, 409: errorResponse },
      },
    },
    async (request, reply) => {
      const job = mustGet(request.params.id);
      const transcriptId = engine.transcriptions.transcriptOf(job);
      if (!transcriptId) {
        throw new EngineError(
          'CONFLICT',
          `Job ${job.id} is ${job.state}${job.kind === 'export' ? ' and has no transcript to return' : ''}; its result exists once it has completed.`,
        );
      }
      const transcript = engine.repos.transcripts.get(transcriptId);
      if (!transcript)
        throw new EngineError('NOT_FOUND', `The transcript of job ${job.id} was deleted.`);
      return sendExport(reply, {
        document: transcript.document,
        format: request.query.format,
        baseName: exportBaseName(engine, job.mediaId),
      });
    },
  );
};
