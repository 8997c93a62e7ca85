import type { CaptionRules, TranscriptDocument } from '../../contract/document';
import { transcribeParams, type TranscribeParams } from '../../contract/jobs';
import { presetRules } from '../captions/presets';
import { wrapDocument } from '../../shared/captions/wrap';
import type { DiarizationService } from '../diarization/neural/diarization-service';
import { readyNeuralModels } from '../diarization/neural/neural-models';
import type { DocumentSourceOptions } from '../documents/build-document';
import { lowConfidenceSpans } from '../documents/low-confidence-spans';
import { mergeSpan } from '../documents/merge-span';
import { applyQualityGuards } from '../documents/quality-guards';
import { EngineError, isEngineError } from '../errors';
import { applyCorrectionsInSlices } from '../glossary/corrections';
import { buildInitialPrompt } from '../glossary/initial-prompt';
import { withTargetCounts } from '../glossary/target-counts';
import { sha256File } from '../hash-file';
import type { JobContext, JobHandler } from '../jobs/job-runner';
import type { MediaService } from '../media/media-service';
import type { ModelManager } from '../models/model-manager';
import { labelWords } from '../speakers/assign-speakers';
import { checkSpeakerDetection, findSpeakers } from '../speakers/find-speakers';
import type { Repositories } from '../store/repositories';
import { DEFAULT_VAD_MODEL_ID } from '../vad/speech-regions';
import type { WhisperSegment } from '../whisper/addon';
import { transcriptCacheKey } from './cache-key';
import { documentFromSegments, transcribeRange, type SpeechRegion } from './transcribe-range';
import type { WhisperService } from './whisper-service';

/** Bump when the way Whisper's output becomes a document changes, so old cache entries miss. */
export const pipelineVersion = 1;

export interface TranscribeJobDeps {
  repos: Repositories;
  media: MediaService;
  models: ModelManager;
  whisper: WhisperService;
  /** The neural speaker diarization, used by speakers `auto` when its models are installed. */
  diarization: DiarizationService;
  engineVersion: string;
}

export interface TranscribeJobResult {
  transcriptId: string;
  /** True when the result cache answered and no model ran. */
  cached: boolean;
  /** Spans a larger model transcribed again (draft then refine). */
  refinedSpans?: number;
}

/** Whisper can be slower than real time on a CPU with a large model; beyond this, something is wrong. */
const timeLimitFactor = 6;
const timeLimitFloorMs = 10 * 60_000;
const partialSaveMs = 2000;
const inProgressNote = 'Transcription in progress.';

function parseParams(raw: unknown): TranscribeParams {
  const parsed = transcribeParams.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new EngineError(
    'INVALID_ARGUMENT',
    `Invalid transcription parameter ${issue.path.join('.') || '(root)'}: ${issue.message}.`,
    { cause: parsed.error },
  );
}

/** Speakers found one per channel are named after it: Left and Right in stereo. */
function nameChannels(
  { doc, speakerIds }: ReturnType<typeof labelWords>,
  channels: number,
): TranscriptDocument {
  const names = new Map(
    [...speakerIds].map(([label, id]) => {
      const channel = Number(label.slice(label.lastIndexOf('-') + 1));
      const name = channels === 2 ? (channel === 1 ? 'Left' : 'Right') : `Channel ${channel}`;
      return [id, name];
    }),
  );
  return { ...doc, speakers: doc.speakers.map((s) => ({ ...s, name: names.get(s.id) ?? s.name })) };
}

/** The guards, glossary and caption wrap every finished document goes through. */
export async function finishDocument(
  doc: TranscriptDocument,
  params: TranscribeParams,
  rules: CaptionRules,
  speech: SpeechRegion[] | null,
): Promise<TranscriptDocument> {
  let out = applyQualityGuards(doc, {
    lowConfidence: params.lowConfidence,
    ...(speech ? { silence: { speech } } : {}),
  }).doc;
  if (params.glossary) {
    // In slices: a large glossary over a long transcript must not hold up the API.
    out = (await applyCorrectionsInSlices(out, params.glossary)).doc;
    out = withTargetCounts(out, params.glossary.targets);
  }
  return wrapDocument(out, rules, { preset: params.preset });
}

/**
 * The transcription pipeline as a job: probe → result cache → speech regions → Whisper in
 * bounded windows (worker pool) → optional refinement of weak spans with a larger model →
 * document (quality guards, glossary, caption wrap) → store. The transcript is saved as segments
 * arrive, so a long file shows text early; a failure or cancel keeps what was saved.
 */
export function createTranscribeHandler(deps: TranscribeJobDeps): JobHandler {
  const { repos, media, models, whisper, diarization, engineVersion } = deps;

  return async (ctx: JobContext): Promise<TranscribeJobResult> => {
    const params = parseParams(ctx.job.params);
    ctx.plan([
      { stage: 'probe', weight: 3 },
      { stage: 'vad', weight: 7 },
      { stage: 'transcribe', weight: params.refine ? 65 : 85 },
      ...(params.refine ? [{ stage: 'refine', weight: 20 }] : []),
      ...(params.speakers.mode !== 'off' ? [{ stage: 'speakers', weight: 10 }] : []),
      { stage: 'finalize', weight: 5 },
    ]);
    ctx.progress('probe', 0);
    if (!ctx.job.mediaId)
      throw new EngineError('INVALID_ARGUMENT', 'A transcription job needs a media item.');
    const item = media.get(ctx.job.mediaId);
    const probe = await media.probe(item.path, { signal: ctx.signal });
    const durationMs = Math.round(probe.durationSec * 1000);
    ctx.setTimeLimit(
      Math.max(timeLimitFloorMs, durationMs * timeLimitFactor),
      `${timeLimitFactor}× the ${Math.round(probe.durationSec)} s of media, at least ${timeLimitFloorMs / 60_000} min`,
    );

    for (const modelId of [params.modelId, ...(params.refine ? [params.refine.modelId] : [])]) {
      if (!models.get(modelId)) {
        throw new EngineError(
          'MODEL_UNKNOWN',
          `There is no model "${modelId}". \`npm run cli -- models list\` shows them.`,
        );
      }
      models.resolvePath(modelId); // MODEL_NOT_READY, saying what to do, before any work
    }
    const modelSha256 = repos.models.get(params.modelId)?.sha256 ?? null;

    let mediaSha256 = item.sha256;
    if (!mediaSha256) {
      mediaSha256 = await sha256File(item.path);
      repos.media.setSha256(item.id, mediaSha256);
    }
    const refineSha = params.refine
      ? (repos.models.get(params.refine.modelId)?.sha256 ?? null)
      : null;
    const neuralModels =
      params.speakers.mode === 'auto'
        ? readyNeuralModels(models, (id) => repos.models.get(id)?.sha256 ?? null)
        : null;
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

    const rules = presetRules(params.preset, { custom: params.customRules });
    const source: DocumentSourceOptions = {
      durationMs,
      modelId: params.modelId,
      modelSha256,
      params: params as unknown as Record<string, unknown>,
      engineVersion,
      captions: { preset: params.preset, rules },
    };
    const installedVad =
      models.get(DEFAULT_VAD_MODEL_ID)?.status === 'ready'
        ? models.resolvePath(DEFAULT_VAD_MODEL_ID)
        : null;
    const vadModel = params.vad ? installedVad : null;
    checkSpeakerDetection(params.speakers, installedVad, probe.audio.channels);
    if (params.vad && !vadModel) {
      ctx.note(
        `The voice-activity model (${DEFAULT_VAD_MODEL_ID}) is not installed, so silence was not skipped and hallucinations on silence are not flagged.`,
      );
    }
    const language = params.language === 'auto' ? null : params.language;
    const initialPrompt = params.glossary ? buildInitialPrompt(params.glossary) : undefined;
    const tools = await media.tools();
    const span = params.span;
    const common = {
      tools,
      file: item.path,
      streamIndex: probe.audio.index,
      lane: ctx.job.lane,
      translate: params.translate,
      initialPrompt,
      vadModel,
      signal: ctx.signal,
    };

    let transcript = repos.transcripts.insert({
      mediaId: item.id,
      modelId: params.modelId,
      language,
      document: { ...documentFromSegments([], language, source), notes: [inProgressNote] },
      status: 'partial',
      jobId: ctx.job.id,
    });
    const streamed: WhisperSegment[] = [];
    let lastSave = 0;
    try {
      return await run();
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

    async function run(): Promise<TranscribeJobResult> {
      const draft = await transcribeRange(whisper, {
        ...common,
        ...(span ? { span } : {}),
        totalMs: span ? span.endMs - span.startMs : durationMs,
        modelId: params.modelId,
        language,
        onVadProgress: (fraction) => ctx.progress('vad', fraction),
        onProgress: (fraction) => ctx.progress('transcribe', fraction),
        onSegment: (segment) => {
          streamed.push(segment);
          ctx.output({
            type: 'segment',
            transcriptId: transcript.id,
            segment: { t0: segment.t0, t1: segment.t1, text: segment.text },
          });
          if (Date.now() - lastSave >= partialSaveMs) {
            lastSave = Date.now();
            const partial = {
              ...documentFromSegments(streamed, language, source),
              notes: [inProgressNote],
            };
            transcript = repos.transcripts.update(transcript.id, transcript.version, partial);
          }
        },
      });

      let doc = documentFromSegments(draft.segments, draft.language, source);
      let refinedSpans = 0;
      if (params.refine && draft.segments.length > 0) {
        // Draft then refine: weak stretches again with the larger model, merged without breaking word times.
        const spans = lowConfidenceSpans(doc, { threshold: params.refine.threshold });
        for (const [index, weak] of spans.entries()) {
          const better = await transcribeRange(whisper, {
            ...common,
            span: weak,
            totalMs: weak.endMs - weak.startMs,
            modelId: params.refine.modelId,
            language: draft.language,
            onProgress: (fraction) => ctx.progress('refine', (index + fraction) / spans.length),
          });
          const replacement = documentFromSegments(better.segments, draft.language, source);
          doc = mergeSpan(doc, replacement, weak, { rules, idPrefix: `r${index + 1}-` }).doc;
        }
        refinedSpans = spans.length;
        if (spans.length > 0)
          ctx.note(
            `${spans.length} low-confidence span${spans.length > 1 ? 's were' : ' was'} transcribed again with ${params.refine.modelId}.`,
          );
      }

      let prints: { speakerId: string; kind: string; print: number[]; voiceId: null }[] = [];
      if (params.speakers.mode !== 'off' && installedVad && draft.segments.length > 0) {
        ctx.progress('speakers', 0);
        const found = await findSpeakers({
          tools,
          file: item.path,
          streamIndex: probe.audio.index,
          signal: ctx.signal,
          channels: probe.audio.channels,
          durationSec: probe.durationSec,
          detection: params.speakers,
          speech: draft.speech,
          vadModel: installedVad,
          neural: neuralModels ? { service: diarization, models: neuralModels } : null,
          onProgress: (fraction) => ctx.progress('speakers', fraction),
        });
        // finishDocument below re-wraps the captions, splitting them at speaker changes.
        const assigned = labelWords(doc, found.turns);
        doc =
          found.diarizer === 'channels'
            ? nameChannels(assigned, probe.audio.channels)
            : assigned.doc;
        if (found.note) {
          ctx.note(found.note);
          doc = { ...doc, notes: [...doc.notes, found.note] };
        }
        const byLabel = found.prints?.byLabel ?? {};
        prints = [...assigned.speakerIds].flatMap(([label, speakerId]) => {
          const print = byLabel[label];
          return print && found.prints
            ? [{ speakerId, kind: found.prints.kind, print, voiceId: null }]
            : [];
        });
      }

      ctx.progress('finalize', 0);
      doc = await finishDocument(doc, params, rules, draft.speech);
      if (draft.segments.length === 0) ctx.note('No speech was detected; the transcript is empty.');
      const stored = repos.transcripts.complete(transcript.id, transcript.version, doc, {
        language: draft.language,
        cacheKey,
      });
      repos.voices.savePrints(stored.id, prints);
      ctx.progress('finalize', 1);
      return { transcriptId: stored.id, cached: false, ...(params.refine ? { refinedSpans } : {}) };
    }
  };
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
