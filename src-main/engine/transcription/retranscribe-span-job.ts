import { z } from 'zod';
import type { TranscriptDocument } from '../../contract/document';
import { glossary } from '../../contract/glossary';
import { mergeSpan } from '../documents/merge-span';
import { applyQualityGuards } from '../documents/quality-guards';
import { EngineError } from '../errors';
import { withTargetCounts } from '../glossary/target-counts';
import type { JobContext, JobHandler } from '../jobs/job-runner';
import type { MediaService } from '../media/media-service';
import type { ModelManager } from '../models/model-manager';
import type { Repositories } from '../store/repositories';
import { DEFAULT_VAD_MODEL_ID } from '../vad/speech-regions';
import { documentFromSegments, transcribeRange } from './transcribe-range';
import type { WhisperService } from './whisper-service';

const spanParams = z
  .object({
    transcriptId: z.string().min(1),
    startMs: z.number().int().nonnegative(),
    endMs: z.number().int().positive(),
    /** @default the model the transcript was made with */
    modelId: z.string().min(1).optional(),
    /** @default the transcript's language */
    language: z.string().min(2).optional(),
  })
  .refine((p) => p.endMs > p.startMs, 'endMs must be after startMs');

/**
 * Re-transcribes one stretch of an existing transcript (e.g. after the editor marks it wrong) and
 * merges the new words in, keeping every word outside the stretch as it was. An edit saved
 * meanwhile wins: the job then fails with CONFLICT and changes nothing.
 */
export function createRetranscribeSpanHandler(deps: {
  repos: Repositories;
  media: MediaService;
  models: ModelManager;
  whisper: WhisperService;
}): JobHandler {
  const { repos, media, models, whisper } = deps;
  return async (ctx: JobContext) => {
    const parsed = spanParams.safeParse(ctx.job.params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new EngineError(
        'INVALID_ARGUMENT',
        `Invalid span parameter ${issue.path.join('.') || '(span)'}: ${issue.message}.`,
      );
    }
    const params = parsed.data;
    // Read first: the version seen here is the one the merge must still find at the end.
    const transcript = repos.transcripts.get(params.transcriptId);
    if (!transcript)
      throw new EngineError('NOT_FOUND', `There is no transcript ${params.transcriptId}.`);
    if (transcript.status !== 'complete') {
      throw new EngineError(
        'CONFLICT',
        'This transcript is still being made; wait for its job to finish.',
      );
    }
    const doc = transcript.document as TranscriptDocument;
    const span = { startMs: params.startMs, endMs: Math.min(params.endMs, doc.durationMs) };
    ctx.plan([
      { stage: 'vad', weight: 1 },
      { stage: 'transcribe', weight: 8 },
      { stage: 'finalize', weight: 1 },
    ]);
    const modelId = params.modelId ?? doc.source.modelId ?? transcript.modelId;
    if (!modelId || !models.get(modelId)) {
      throw new EngineError(
        'MODEL_UNKNOWN',
        `There is no model "${modelId ?? '(none recorded)'}" to re-transcribe with; name one.`,
      );
    }
    models.resolvePath(modelId);
    const item = media.get(transcript.mediaId);
    const probe = await media.probe(item.path, { signal: ctx.signal });
    const language = params.language ?? doc.language;
    const vadModel =
      models.get(DEFAULT_VAD_MODEL_ID)?.status === 'ready'
        ? models.resolvePath(DEFAULT_VAD_MODEL_ID)
        : null;

    const range = await transcribeRange(whisper, {
      tools: await media.tools(),
      file: item.path,
      streamIndex: probe.audio.index,
      span,
      totalMs: span.endMs - span.startMs,
      modelId,
      lane: ctx.job.lane,
      language,
      translate: false,
      vadModel,
      signal: ctx.signal,
      onVadProgress: (fraction) => ctx.progress('vad', fraction),
      onProgress: (fraction) => ctx.progress('transcribe', fraction),
    });
    ctx.progress('finalize', 0);
    const replacement = applyQualityGuards(
      documentFromSegments(range.segments, language, {
        durationMs: doc.durationMs,
        modelId,
        modelSha256: repos.models.get(modelId)?.sha256 ?? null,
        params: doc.source.params,
        engineVersion: doc.source.engineVersion,
        captions: doc.captions,
      }),
      range.speech ? { silence: { speech: range.speech } } : {},
    ).doc;
    const merged = mergeSpan(doc, replacement, span, {
      rules: doc.captions.rules,
      idPrefix: `j${ctx.job.id.slice(0, 8)}-`,
    });
    // The new words may add or remove glossary target words: count them again.
    const targets = glossary.safeParse(doc.source.params.glossary).data?.targets ?? [];
    const recounted = targets.length > 0 ? withTargetCounts(merged.doc, targets) : merged.doc;
    const saved = repos.transcripts.update(transcript.id, transcript.version, recounted);
    ctx.progress('finalize', 1);
    return {
      transcriptId: saved.id,
      version: saved.version,
      replacedWordIds: merged.replacedWordIds,
      insertedWordIds: merged.insertedWordIds,
    };
  };
}
