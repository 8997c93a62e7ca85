import type { TranscriptDocument } from '../../contract/document';
import {
  transcribeJobResult,
  transcribeParams,
  type TranscribeJobResult,
} from '../../contract/jobs';
import { documentFromSegments } from '../documents/assemble-document';
import { EngineError, isEngineError } from '../errors';
import { sha256File } from '../hash-file';
import { defineJob } from '../jobs/job-definition';
import type { Repositories } from '../store/repositories';
import type { WhisperSegment } from '../whisper/addon';
import { transcriptCacheKey } from './cache-key';
import { createPipeline, stagePlan, type JobPipelineDeps } from './pipeline';

/** Bump when the way Whisper's output becomes a document changes, so old cache entries miss. */
export const pipelineVersion = 1;

/** Whisper can be slower than real time on a CPU with a large model; beyond this, something is wrong. */
const timeLimitFactor = 6;
const timeLimitFloorMs = 10 * 60_000;
const partialSaveMs = 2000;
const inProgressNote = 'Transcription in progress.';

/**
 * Transcription as a job: the pipeline (pipeline.ts) with a result cache in front and storage
 * around it. The transcript is saved as segments arrive, so a long file shows text early; a
 * failure or cancel keeps what was heard (settleUnfinished).
 */
export function transcribeJob(deps: JobPipelineDeps) {
  const { repos, media } = deps;
  const pipeline = createPipeline(deps);

  return defineJob({
    kind: 'transcribe',
    params: transcribeParams,
    result: transcribeJobResult,
    paramName: 'transcription parameter',
    async run(ctx, params): Promise<TranscribeJobResult> {
      ctx.plan(stagePlan(params));
      ctx.progress('probe', 0);
      if (!ctx.job.mediaId)
        throw new EngineError('INVALID_ARGUMENT', 'A transcription job needs a media item.');
      const item = media.get(ctx.job.mediaId);
      const prepared = await pipeline.prepare(item.path, params, { signal: ctx.signal });
      const { durationMs } = prepared;
      ctx.setTimeLimit(
        Math.max(timeLimitFloorMs, durationMs * timeLimitFactor),
        `${timeLimitFactor}× the ${Math.round(prepared.probe.durationSec)} s of media, at least ${timeLimitFloorMs / 60_000} min`,
      );

      let mediaSha256 = item.sha256;
      if (!mediaSha256) {
        mediaSha256 = await sha256File(item.path);
        repos.media.setSha256(item.id, mediaSha256);
      }
      const { neuralModels, modelSha256, refineSha256: refineSha } = prepared;
      // Installing (or replacing) the neural models changes the speakers, so it misses the cache.
      const speakerModels = neuralModels
        ? { speakerModels: [neuralModels.segmentation.sha256, neuralModels.embedding.sha256] }
        : {};
      const cacheKey =
        modelSha256 && (!params.refine || refineSha)
          ? transcriptCacheKey({
              mediaSha256,
              modelSha256,
              params: { ...params, refineSha, ...speakerModels },
              pipelineVersion,
            })
          : null;
      const hit = cacheKey ? repos.transcripts.findByCacheKey(cacheKey) : undefined;
      if (hit) {
        const answer =
          hit.mediaId === item.id
            ? hit
            : repos.transcripts.insert({
                mediaId: item.id,
                modelId: hit.modelId,
                language: hit.language,
                document: hit.document,
                cacheKey,
              });
        ctx.note(
          'Answered from the result cache: same media, model and settings as an earlier transcript.',
        );
        if (answer.id !== hit.id) {
          repos.voices.savePrints(
            answer.id,
            repos.voices.prints(hit.id).map((p) => ({ ...p, voiceId: null })),
          );
        }
        ctx.progress('finalize', 1);
        return { transcriptId: answer.id, cached: true };
      }
      ctx.progress('probe', 1);

      // A restarted job starts over; its own unfinished transcript from the last attempt goes.
      for (const stale of repos.transcripts.listForJob(ctx.job.id)) {
        if (stale.status === 'partial') repos.transcripts.delete(stale.id);
      }

      const { language, source } = prepared;
      const transcript = repos.transcripts.insert({
        mediaId: item.id,
        modelId: params.modelId,
        language,
        document: { ...documentFromSegments([], language, source), notes: [inProgressNote] },
        status: 'partial',
        jobId: ctx.job.id,
      });
      const streamed: WhisperSegment[] = [];
      let lastSave = 0;
      let saved = 0;
      let batch = 0;
      let version = transcript.version;
      try {
        const result = await pipeline.run(prepared, {
          lane: ctx.job.lane,
          signal: ctx.signal,
          progress: (stage, fraction) => ctx.progress(stage, fraction),
          note: (text) => ctx.note(text),
          onSegment: (segment) => {
            streamed.push(segment);
            ctx.output({
              type: 'segment',
              transcriptId: transcript.id,
              segment: { t0: segment.t0, t1: segment.t1, text: segment.text },
            });
            if (Date.now() - lastSave >= partialSaveMs) {
              lastSave = Date.now();
              // Only what arrived since the last save is written (and indexed for search).
              const fresh = streamed.slice(saved);
              saved = streamed.length;
              batch += 1;
              const { segments } = documentFromSegments(fresh, language, {
                ...source,
                idPrefix: `p${batch}-`,
              });
              version = repos.transcripts.appendPartial(transcript.id, version, segments).version;
            }
          },
        });
        // Its search rows are written in slices: a 3-hour transcript's in one go held the loop.
        const stored = await repos.transcripts.completeInSlices(
          transcript.id,
          version,
          result.document,
          { language: result.language, cacheKey },
        );
        repos.voices.savePrints(stored.id, result.prints);
        ctx.progress('finalize', 1);
        return {
          transcriptId: stored.id,
          cached: false,
          ...(params.refine ? { refinedSpans: result.refinedSpans } : {}),
        };
      } catch (error) {
        // A shutdown re-queues the job, whose next run replaces this transcript; any other end
        // (cancel, failure, time limit) settles it now, so none stays "in progress" forever.
        const reason: unknown = ctx.signal.aborted ? ctx.signal.reason : error;
        if (!isEngineError(reason, 'SHUTTING_DOWN')) {
          settleUnfinished(repos, transcript.id, streamed, reason, (segments) => ({
            ...documentFromSegments([...segments], language, source),
            notes: [],
          }));
        }
        throw error;
      }
    },
  });
}

const clock = (ms: number) => {
  const total = Math.floor(ms / 1000);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  return `${h > 0 ? `${h}:${String(m).padStart(2, '0')}` : m}:${String(s).padStart(2, '0')}`;
};

/**
 * The transcript of a job that ended without finishing: removed when Whisper had sent nothing
 * yet, else kept as a complete transcript of what was heard, with a note saying where it stops
 * and why (never answering the result cache). A transcript deleted meanwhile is left alone.
 */
export function settleUnfinished(
  repos: Repositories,
  transcriptId: string,
  segments: readonly WhisperSegment[],
  reason: unknown,
  toDocument: (segments: readonly WhisperSegment[]) => TranscriptDocument,
): void {
  const stored = repos.transcripts.get(transcriptId);
  if (!stored || stored.status !== 'partial') return;
  if (segments.length === 0) {
    repos.transcripts.delete(transcriptId);
    return;
  }
  const endMs = Math.max(...segments.map((segment) => segment.t1));
  const why = isEngineError(reason, 'CANCELLED')
    ? 'The transcription was cancelled'
    : `The transcription stopped (${isEngineError(reason) ? reason.message : 'an unexpected error'})`;
  const doc = toDocument(segments);
  repos.transcripts.complete(
    transcriptId,
    stored.version,
    {
      ...doc,
      notes: [
        `${why}: this transcript covers only the first ${clock(endMs)}. Transcribe the file again for the rest.`,
      ],
    },
    { language: stored.language, cacheKey: null },
  );
}
