import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponse } from '../../../contract/errors';
import type { TranscriptDocument } from '../../../contract/document';
import { createJobBody, jobList, jobResultQuery, jobView } from '../../../contract/jobs';
import { idParams } from '../../../contract/media';
import { EngineError } from '../../../engine/errors';
import { exportDocument, exportMediaTypes } from '../../../engine/exports/index';
import type { JobView } from '../../../engine/jobs/job-runner';

const finished = (job: JobView) => ['completed', 'failed', 'cancelled'].includes(job.state);

export const jobRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;
  const mustGet = (id: string) => {
    const job = engine.jobs.get(id);
    if (!job) throw new EngineError('NOT_FOUND', `There is no job ${id}.`);
    return job;
  };

  app.post(
    '/jobs',
    {
      config: { scope: 'transcribe' },
      schema: { body: createJobBody, response: { 202: jobView, 404: errorResponse } },
    },
    async (request, reply) => {
      const body = request.body;
      const mediaId = body.kind === 'transcribe' ? engine.media.get(body.mediaId).id : null;
      const job = engine.jobs.submit({
        kind: body.kind,
        lane: body.lane ?? (body.kind === 'retranscribe-span' ? 'interactive' : 'batch'),
        mediaId,
        params: body.params as Record<string, unknown>,
      });
      return reply.status(202).send(job);
    },
  );

  app.get('/jobs', { schema: { response: { 200: jobList } } }, () => ({
    jobs: engine.jobs.list(),
  }));

  app.get(
    '/jobs/:id',
    { schema: { params: idParams, response: { 200: jobView, 404: errorResponse } } },
    (request) => mustGet(request.params.id),
  );

  app.delete(
    '/jobs/:id',
    {
      // Whoever may start transcriptions may cancel them.
      config: { scope: 'transcribe' },
      schema: {
        params: idParams,
        response: { 200: jobView, 404: errorResponse, 409: errorResponse },
      },
    },
    (request) => {
      const job = mustGet(request.params.id);
      if (finished(job)) {
        throw new EngineError(
          'CONFLICT',
          `Job ${job.id} has already ${job.state === 'cancelled' ? 'been cancelled' : job.state}; there is nothing to cancel.`,
        );
      }
      return engine.jobs.cancel(job.id);
    },
  );

  app.get(
    '/jobs/:id/result',
    // The body is the exported file itself (text or DOCX), so no JSON response schema.
    { schema: { params: idParams, querystring: jobResultQuery } },
    async (request, reply) => {
      const job = mustGet(request.params.id);
      const transcriptId = (job.result as { transcriptId?: string } | null)?.transcriptId;
      if (job.state !== 'completed' || !transcriptId) {
        throw new EngineError(
          'CONFLICT',
          `Job ${job.id} is ${job.state}${job.kind === 'export' ? ' and has no transcript to return' : ''}; its result exists once it has completed.`,
        );
      }
      const transcript = engine.repos.transcripts.get(transcriptId);
      if (!transcript)
        throw new EngineError('NOT_FOUND', `The transcript of job ${job.id} was deleted.`);
      const { format } = request.query;
      const content = await exportDocument(transcript.document as TranscriptDocument, format);
      const name =
        (job.mediaId && engine.repos.media.get(job.mediaId)?.name.replace(/\.[^.]+$/, '')) ||
        'transcript';
      return reply
        .type(exportMediaTypes[format])
        .header(
          'content-disposition',
          `attachment; filename="${name.replace(/[^\w.-]+/g, '_')}.${format}"`,
        )
        .send(content);
    },
  );
};
