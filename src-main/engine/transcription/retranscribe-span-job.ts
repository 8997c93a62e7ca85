import {
  retranscribeSpanJobResult,
  retranscribeSpanParams,
  transcribeParams,
  type RetranscribeSpanJobResult,
  type TranscribeParams,
} from '../../contract/jobs';
import type { TranscriptDocument } from '../../contract/document';
import { documentFromSegments } from '../documents/assemble-document';
import { mergeSpan } from '../documents/merge-span';
import { EngineError } from '../errors';
import { withTargetCounts } from '../glossary/target-counts';
import { defineJob } from '../jobs/job-definition';
import { createPipeline, type JobPipelineDeps } from './pipeline';

/**
 * The settings a transcript was made with, as the pipeline takes them: its stored parameters
 * (older transcripts and live recordings store fewer; what is missing takes the defaults), with
 * the model and language of this request.
 */
function spanSettings(
  doc: TranscriptDocument,
  modelId: string,
  language: string,
): TranscribeParams {
  const stored = transcribeParams.partial().safeParse(doc.source.params);
  const known = stored.success ? stored.data : {};
  return transcribeParams.parse({
    ...known,
    modelId,
    language,
    preset: doc.captions.preset,
    customRules: doc.captions.rules,
    // A span is transcribed once, with no speakers found again and no refine pass of its own.
    refine: undefined,
    speakers: { mode: 'off' },
    span: undefined,
  });
}

/**
 * Re-transcribes one stretch of an existing transcript (e.g. after the editor marks it wrong)
 * through the same pipeline as the whole file — speech regions, Whisper, quality guards, glossary
 * corrections and caption wrap — and merges the new words in, keeping every word outside the
 * stretch as it was. An edit saved meanwhile wins: the job then fails with CONFLICT and changes
 * nothing.
 */
export function retranscribeSpanJob(deps: JobPipelineDeps) {
  const { repos, media, models } = deps;
  const pipeline = createPipeline(deps);
  return defineJob({
    kind: 'retranscribe-span',
    params: retranscribeSpanParams,
    result: retranscribeSpanJobResult,
    paramName: 'span parameter',
    async run(ctx, params): Promise<RetranscribeSpanJobResult> {
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
      const doc = transcript.document;
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
      const language = params.language ?? doc.language ?? 'auto';
      const item = media.get(transcript.mediaId);
      const settings = spanSettings(doc, modelId, language);
      const prepared = await pipeline.prepare(item.path, settings, { signal: ctx.signal });
      // The document keeps its own length and source; the new words are timed in media time.
      const source = { ...prepared.source, durationMs: doc.durationMs, params: doc.source.params };
      const run = {
        lane: ctx.job.lane,
        signal: ctx.signal,
        progress: (stage: string, fraction: number) => ctx.progress(stage, fraction),
        note: (text: string) => ctx.note(text),
      };
      const range = await pipeline.stages.transcribe(prepared, run, span);
      ctx.progress('finalize', 0);
      const replacement = await pipeline.stages.finish(
        documentFromSegments(range.segments, range.language ?? doc.language, source),
        settings,
        doc.captions.rules,
        range.speech,
      );
      const merged = mergeSpan(doc, replacement, span, {
        rules: doc.captions.rules,
        idPrefix: `j${ctx.job.id.slice(0, 8)}-`,
      });
      // The new words may add or remove glossary target words: count them again.
      const targets = settings.glossary?.targets ?? [];
      const recounted = targets.length > 0 ? withTargetCounts(merged.doc, targets) : merged.doc;
      const saved = repos.transcripts.update(transcript.id, transcript.version, recounted);
      ctx.progress('finalize', 1);
      return {
        transcriptId: saved.id,
        version: saved.version,
        replacedWordIds: merged.replacedWordIds,
        insertedWordIds: merged.insertedWordIds,
      };
    },
  });
}
