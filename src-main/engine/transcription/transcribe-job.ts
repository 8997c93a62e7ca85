import type { TranscriptDocument } from '../../contract/document';
import { transcribeParams, type TranscribeParams } from '../../contract/jobs';
import { presetRules } from '../captions/presets';
import { wrapDocument } from '../captions/wrap';
import { buildDocument, emptyDocument } from '../documents/build-document';
import { applyQualityGuards } from '../documents/quality-guards';
import { EngineError } from '../errors';
import { applyCorrections } from '../glossary/corrections';
import { buildInitialPrompt } from '../glossary/initial-prompt';
import { withTargetCounts } from '../glossary/target-counts';
import { sha256File } from '../hash-file';
import type { JobContext, JobHandler } from '../jobs/job-runner';
import { decodeAudio } from '../media/decode';
import type { MediaService } from '../media/media-service';
import type { ModelManager } from '../models/model-manager';
import type { Repositories } from '../store/repositories';
import type { TranscriptRecord } from '../store/transcripts-repo';
import { DEFAULT_VAD_MODEL_ID, detectSpeechRegions } from '../vad/speech-regions';
import type { WhisperSegment } from '../whisper/addon';
import { transcriptCacheKey } from './cache-key';
import type { WhisperService } from './whisper-service';
import { audioWindows } from './windows';

/** Bump when the way Whisper's output becomes a document changes, so old cache entries miss. */
export const pipelineVersion = 1;

const vadModelId = DEFAULT_VAD_MODEL_ID;

interface SpeechRegion {
  startMs: number;
  endMs: number;
}

export interface TranscribeJobDeps {
  repos: Repositories;
  media: MediaService;
  models: ModelManager;
  whisper: WhisperService;
  engineVersion: string;
}

export interface TranscribeJobResult {
  transcriptId: string;
  /** True when the result cache answered and no model ran. */
  cached: boolean;
}

const stagePlan = [
  { stage: 'probe', weight: 3 },
  { stage: 'vad', weight: 7 },
  { stage: 'transcribe', weight: 85 },
  { stage: 'finalize', weight: 5 },
];

/** Whisper can be slower than real time on a CPU with a large model; beyond this, something is wrong. */
const timeLimitFactor = 6;
const timeLimitFloorMs = 10 * 60_000;
const partialSaveMs = 2000;

function parseParams(raw: unknown): TranscribeParams {
  const parsed = transcribeParams.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new EngineError(
    'INVALID_ARGUMENT',
    `Invalid transcription parameter ${issue.path.join('.') || '(root)'}: ${issue.message}.`,
    {
      cause: parsed.error,
    },
  );
}

const shift = (segment: WhisperSegment, offsetMs: number): WhisperSegment => ({
  ...segment,
  t0: segment.t0 + offsetMs,
  t1: segment.t1 + offsetMs,
  tokens: segment.tokens.map((token) => ({
    ...token,
    t0: token.t0 === null ? null : token.t0 + offsetMs,
    t1: token.t1 === null ? null : token.t1 + offsetMs,
    tDtw: token.tDtw === null ? null : token.tDtw + offsetMs,
  })),
});

/** Regions inside [fromMs, toMs), relative to fromMs. */
const regionsWithin = (
  regions: readonly SpeechRegion[],
  fromMs: number,
  toMs: number,
): SpeechRegion[] =>
  regions
    .filter((r) => r.endMs > fromMs && r.startMs < toMs)
    .map((r) => ({
      startMs: Math.max(0, r.startMs - fromMs),
      endMs: Math.min(toMs, r.endMs) - fromMs,
    }));

/**
 * The transcription pipeline as a job: probe → result cache → decode + VAD (speech regions of the
 * whole file) → decode again in bounded windows cut at silences → Whisper in the worker pool →
 * document (quality guards, glossary, caption wrap) → store. The transcript is saved as segments
 * arrive, so a long file shows text early; a failure or cancel keeps what was saved.
 */
export function createTranscribeHandler(deps: TranscribeJobDeps): JobHandler {
  const { repos, media, models, whisper, engineVersion } = deps;

  return async (ctx: JobContext): Promise<TranscribeJobResult> => {
    ctx.plan(stagePlan);
    ctx.progress('probe', 0);
    const params = parseParams(ctx.job.params);
    if (!ctx.job.mediaId)
      throw new EngineError('INVALID_ARGUMENT', 'A transcription job needs a media item.');
    const item = media.get(ctx.job.mediaId);
    const probe = await media.probe(item.path, { signal: ctx.signal });
    const durationMs = Math.round(probe.durationSec * 1000);
    ctx.setTimeLimit(
      Math.max(timeLimitFloorMs, durationMs * timeLimitFactor),
      `${timeLimitFactor}× the ${Math.round(probe.durationSec)} s of media, at least ${timeLimitFloorMs / 60_000} min`,
    );

    const model = models.get(params.modelId);
    if (!model)
      throw new EngineError(
        'MODEL_UNKNOWN',
        `There is no model "${params.modelId}". \`npm run cli -- models list\` shows them.`,
      );
    models.resolvePath(params.modelId); // MODEL_NOT_READY with what to do, before any work
    const modelSha256 = repos.models.get(params.modelId)?.sha256 ?? null;

    let mediaSha256 = item.sha256;
    if (!mediaSha256) {
      mediaSha256 = await sha256File(item.path);
      repos.media.setSha256(item.id, mediaSha256);
    }
    const cacheKey = modelSha256
      ? transcriptCacheKey({ mediaSha256, modelSha256, params, pipelineVersion })
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
      ctx.progress('finalize', 1);
      return { transcriptId: answer.id, cached: true };
    }
    ctx.progress('probe', 1);

    // A restarted job starts over; its own unfinished transcript from the last attempt goes.
    for (const stale of repos.transcripts.listForJob(ctx.job.id)) {
      if (stale.status === 'partial') repos.transcripts.delete(stale.id);
    }

    const tools = await media.tools();
    const rules = presetRules(params.preset, { custom: params.customRules });
    const captions = { preset: params.preset, rules };
    const span = params.span;
    const decodeWindow = {
      startSec: span ? span.startMs / 1000 : undefined,
      durationSec: span ? (span.endMs - span.startMs) / 1000 : undefined,
      streamIndex: probe.audio.index,
    };
    const offsetMs = span?.startMs ?? 0;
    const totalMs = span ? span.endMs - span.startMs : durationMs;

    // Pass 1: speech regions of the whole file, decoded in chunks (nothing kept but the regions).
    const vadModel =
      params.vad && models.get(vadModelId)?.status === 'ready'
        ? models.resolvePath(vadModelId)
        : null;
    let speech: SpeechRegion[] | null = null;
    if (vadModel) {
      const regions = await detectSpeechRegions(
        {
          decode: (file, options) => decodeAudio(tools, file, { ...options, ...decodeWindow }),
          vadModelPath: vadModel,
        },
        item.path,
        {
          signal: ctx.signal,
          onProgress: (analysedSec) =>
            ctx.progress('vad', Math.min(1, (analysedSec * 1000) / Math.max(1, totalMs))),
        },
      );
      speech = regions.map((r) => ({
        startMs: Math.round(r.start * 1000),
        endMs: Math.round(r.end * 1000),
      }));
    } else if (params.vad) {
      ctx.note(
        `The voice-activity model (${vadModelId}) is not installed, so silence was not skipped and hallucinations on silence are not flagged.`,
      );
    }
    ctx.progress('vad', 1);

    const base = {
      durationMs,
      modelId: params.modelId,
      modelSha256,
      params: params as unknown as Record<string, unknown>,
      engineVersion,
      captions,
    };
    const makeDocument = (
      segments: WhisperSegment[],
      language: string | null,
    ): TranscriptDocument =>
      segments.length === 0
        ? emptyDocument({ ...base, language })
        : buildDocument(
            {
              segments,
              language,
              languageProbability: null,
              speechMs: 0,
              timings: { stateMs: 0, vadMs: 0, languageMs: 0, whisperMs: 0 },
            },
            base,
          );

    let transcript: TranscriptRecord | undefined;
    const segments: WhisperSegment[] = [];
    let language: string | null = params.language === 'auto' ? null : params.language;
    let lastSave = 0;
    const save = (force: boolean) => {
      if (!transcript || (!force && Date.now() - lastSave < partialSaveMs)) return;
      const doc = { ...makeDocument(segments, language), notes: ['Transcription in progress.'] };
      transcript = repos.transcripts.update(transcript.id, transcript.version, doc);
      lastSave = Date.now();
    };

    if (speech === null || speech.length > 0) {
      transcript = repos.transcripts.insert({
        mediaId: item.id,
        modelId: params.modelId,
        language,
        document: { ...makeDocument([], language), notes: ['Transcription in progress.'] },
        status: 'partial',
        jobId: ctx.job.id,
      });
      const initialPrompt = params.glossary ? buildInitialPrompt(params.glossary) : undefined;
      const regions = speech;
      const windows = audioWindows(
        decodeAudio(tools, item.path, { ...decodeWindow, signal: ctx.signal }),
        {
          speechRegions: regions
            ? async (pcm, startMs) => regionsWithin(regions, startMs, startMs + pcm.length / 16)
            : undefined,
        },
      );
      for await (const window of windows) {
        const windowEnd = window.startMs + window.pcm.length / 16;
        if (
          window.pcm.length === 0 ||
          (regions && regionsWithin(regions, window.startMs, windowEnd).length === 0)
        )
          continue;
        const done = window.startMs / Math.max(1, totalMs);
        const share = window.pcm.length / 16 / Math.max(1, totalMs);
        const windowOffset = offsetMs + window.startMs;
        const { result } = await whisper.transcribe({
          modelId: params.modelId,
          lane: ctx.job.lane,
          pcm: window.pcm,
          signal: ctx.signal,
          params: {
            language: language ?? 'auto',
            translate: params.translate,
            ...(initialPrompt ? { initialPrompt } : {}),
            ...(vadModel ? { vad: { modelPath: vadModel } } : {}),
          },
          onProgress: (percent) => ctx.progress('transcribe', done + (share * percent) / 100),
          onSegment: (segment) => {
            const shifted = shift(segment as WhisperSegment, windowOffset);
            segments.push(shifted);
            ctx.output({
              type: 'segment',
              transcriptId: transcript!.id,
              segment: { t0: shifted.t0, t1: shifted.t1, text: shifted.text },
            });
            save(false);
          },
        });
        const detected = (result as { language: string | null }).language;
        // Keep the language the first window found, so later windows do not drift.
        language ??= detected;
        save(true);
      }
    }
    ctx.progress('transcribe', 1);

    ctx.progress('finalize', 0);
    let doc = makeDocument(segments, language);
    doc = applyQualityGuards(doc, {
      lowConfidence: params.lowConfidence,
      ...(speech ? { silence: { speech } } : {}),
    }).doc;
    if (params.glossary) {
      doc = applyCorrections(doc, params.glossary).doc;
      doc = withTargetCounts(doc, params.glossary.targets);
    }
    doc = wrapDocument(doc, rules, { preset: params.preset });
    if (segments.length === 0) ctx.note('No speech was detected; the transcript is empty.');

    const stored = transcript
      ? repos.transcripts.complete(transcript.id, transcript.version, doc, { language, cacheKey })
      : repos.transcripts.insert({
          mediaId: item.id,
          modelId: params.modelId,
          language,
          document: doc,
          jobId: ctx.job.id,
          cacheKey,
        });
    ctx.progress('finalize', 1);
    return { transcriptId: stored.id, cached: false };
  };
}
