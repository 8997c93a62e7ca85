/**
 * The transcription pipeline: the one definition of "transcribe this media", whichever face asks
 * (a job from the API, the CLI or the UI; the OpenAI-compatible endpoint; a span transcribed
 * again in the editor; a live session being saved).
 *
 *   prepare → speech regions → windows → Whisper → document → refine → speakers → finish
 *
 * `prepare` checks everything that can be checked before work starts (the media, the models, the
 * speaker choice) and fixes the rules and the document's source; `transcribe` finds the speech
 * regions and runs Whisper over bounded windows in the worker pool; `refine` transcribes weak
 * stretches again with a larger model; `speakers` finds who speaks when; `finish` applies the
 * quality guards, the glossary and the caption wrap. Storing is the caller's: a job stores as it
 * goes, a one-off request stores nothing. Each stage can be replaced (tests, other runtimes).
 */
import type { CaptionRules, TranscriptDocument } from '../../contract/document';
import type { TranscribeParams } from '../../contract/jobs';
import type { MediaProbe } from '../../contract/media';
import type { TimeRange } from '../../contract/time-range';
import { presetRules } from '../captions/presets';
import { wrapDocument } from '../../shared/captions/wrap';
import type { DiarizationService } from '../diarization/neural/diarization-service';
import { readyNeuralModels, type NeuralModels } from '../diarization/neural/neural-models';
import type { DocumentSourceOptions } from '../documents/build-document';
import { lowConfidenceSpans } from '../documents/low-confidence-spans';
import { mergeSpan } from '../documents/merge-span';
import { applyQualityGuards } from '../documents/quality-guards';
import { applyCorrectionsInSlices } from '../glossary/corrections';
import { buildInitialPrompt } from '../glossary/initial-prompt';
import { withTargetCounts } from '../glossary/target-counts';
import type { StageWeight } from '../jobs/progress';
import type { FfmpegTools } from '../media/ffmpeg-tools';
import type { MediaService } from '../media/media-service';
import type { ModelManager } from '../models/model-manager';
import type { Lane } from '../pool/lane-queue';
import { labelWords } from '../speakers/assign-speakers';
import { checkSpeakerDetection, findSpeakers } from '../speakers/find-speakers';
import type { Repositories } from '../store/repositories';
import { DEFAULT_VAD_MODEL_ID } from '../vad/speech-regions';
import type { WhisperSegment } from '../whisper/addon';
import { documentFromSegments, transcribeRange, type RangeResult } from './transcribe-range';
import { readyWhisperModel } from './whisper-model';
import type { WhisperService } from './whisper-service';

export interface PipelineDeps {
  media: Pick<MediaService, 'probe' | 'tools'>;
  models: ModelManager;
  whisper: WhisperService;
  /** The neural speaker diarization, used by speakers `auto` when its models are installed. */
  diarization: DiarizationService;
  repos: Pick<Repositories, 'models'>;
  engineVersion: string;
}

/** Decoder options only the OpenAI-compatible endpoint passes through. */
export interface DecoderExtras {
  /** Context for the decoder instead of the glossary's prompt. */
  prompt?: string;
  /** Initial sampling temperature, 0…1. @default Whisper's */
  temperature?: number;
}

/** What a transcription knows once it is checked, before any audio is decoded. */
export interface Prepared {
  file: string;
  probe: MediaProbe;
  durationMs: number;
  params: TranscribeParams;
  rules: CaptionRules;
  /** What the document records about how it was made. */
  source: DocumentSourceOptions;
  /** The language asked for; null detects it. */
  language: string | null;
  /** The Silero model when silence is skipped (params.vad and installed), else null. */
  vadModel: string | null;
  /** The Silero model when installed, whatever params.vad says (speakers need it). */
  installedVad: string | null;
  /** The neural speaker models, for speakers `auto` when both are installed. */
  neuralModels: NeuralModels | null;
  modelSha256: string | null;
  refineSha256: string | null;
  initialPrompt: string | undefined;
  temperature: number | undefined;
  tools: FfmpegTools;
  /** What the person should know before the work starts (a missing VAD model). */
  notes: string[];
}

/** How a run reports, and what it may be stopped by. */
export interface RunContext {
  lane: Lane;
  signal: AbortSignal;
  /** Enters a stage of `stagePlan` and says how far through it the run is (0..1). */
  progress(stage: string, fraction: number): void;
  /** Something the person should know about the outcome. */
  note(text: string): void;
  /** Each Whisper segment as it is decoded (media time). */
  onSegment?(segment: WhisperSegment): void;
}

/** A voice print of a speaker of the document, for the voice library. */
export interface SpeakerPrint {
  speakerId: string;
  kind: string;
  print: number[];
  voiceId: null;
}

export interface PipelineResult {
  document: TranscriptDocument;
  /** Whisper's segments of the first pass, media time. */
  segments: WhisperSegment[];
  language: string | null;
  /** Speech regions (media time), or null without the VAD. */
  speech: TimeRange[] | null;
  prints: SpeakerPrint[];
  /** Weak stretches transcribed again (0 without refine). */
  refinedSpans: number;
}

export interface PipelineStages {
  /** Speech regions, then Whisper over windows cut in silences (the whole media or `span`). */
  transcribe(prepared: Prepared, run: RunContext, span?: TimeRange): Promise<RangeResult>;
  /** Weak stretches again with the refine model, merged in without breaking word times. */
  refine(
    doc: TranscriptDocument,
    draft: RangeResult,
    prepared: Prepared,
    run: RunContext,
  ): Promise<{ doc: TranscriptDocument; spans: number }>;
  /** Who speaks when, as the params ask. */
  speakers(
    doc: TranscriptDocument,
    draft: RangeResult,
    prepared: Prepared,
    run: RunContext,
  ): Promise<{ doc: TranscriptDocument; prints: SpeakerPrint[] }>;
  /** Quality guards, glossary and caption wrap: every finished document goes through this. */
  finish(
    doc: TranscriptDocument,
    params: Pick<TranscribeParams, 'lowConfidence' | 'glossary' | 'preset'>,
    rules: CaptionRules,
    speech: readonly TimeRange[] | null,
  ): Promise<TranscriptDocument>;
}

/** The stages a run passes through and their share of the progress bar. */
export function stagePlan(params: TranscribeParams): StageWeight[] {
  return [
    { stage: 'probe', weight: 3 },
    { stage: 'vad', weight: 7 },
    { stage: 'transcribe', weight: params.refine ? 65 : 85 },
    ...(params.refine ? [{ stage: 'refine', weight: 20 }] : []),
    ...(params.speakers.mode !== 'off' ? [{ stage: 'speakers', weight: 10 }] : []),
    { stage: 'finalize', weight: 5 },
  ];
}

/** The installed Silero model's path, or null. */
export function installedVadModel(models: Pick<ModelManager, 'get' | 'resolvePath'>) {
  return models.get(DEFAULT_VAD_MODEL_ID)?.status === 'ready'
    ? models.resolvePath(DEFAULT_VAD_MODEL_ID)
    : null;
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

/** Quality guards, glossary (in slices: the event loop runs between them) and caption wrap. */
export const finishDocument: PipelineStages['finish'] = async (doc, params, rules, speech) => {
  let out = applyQualityGuards(doc, {
    lowConfidence: params.lowConfidence,
    ...(speech ? { silence: { speech: [...speech] } } : {}),
  }).doc;
  if (params.glossary) {
    out = (await applyCorrectionsInSlices(out, params.glossary)).doc;
    out = withTargetCounts(out, params.glossary.targets);
  }
  return wrapDocument(out, rules, { preset: params.preset });
};

export interface Pipeline {
  readonly stages: PipelineStages;
  /**
   * Probes the file and checks the models and choices: MEDIA_* for a file that is not usable
   * media, MODEL_UNKNOWN / MODEL_NOT_READY (saying what to do), INVALID_ARGUMENT for a speaker
   * choice the recording cannot have. Nothing is decoded yet.
   */
  prepare(
    file: string,
    params: TranscribeParams,
    options: { signal: AbortSignal; extras?: DecoderExtras },
  ): Promise<Prepared>;
  /** Runs the stages after prepare; stores nothing. */
  run(prepared: Prepared, run: RunContext): Promise<PipelineResult>;
}

export function createPipeline(
  deps: PipelineDeps,
  overrides: Partial<PipelineStages> = {},
): Pipeline {
  const { media, models, whisper, diarization, repos, engineVersion } = deps;
  const sha256Of = (id: string) => repos.models.get(id)?.sha256 ?? null;

  const defaults: PipelineStages = {
    transcribe: (prepared, run, span) =>
      transcribeRange(whisper, {
        tools: prepared.tools,
        file: prepared.file,
        streamIndex: prepared.probe.audio.index,
        ...(span ? { span } : {}),
        totalMs: span ? span.endMs - span.startMs : prepared.durationMs,
        modelId: prepared.params.modelId,
        lane: run.lane,
        language: prepared.language,
        translate: prepared.params.translate,
        ...(prepared.initialPrompt ? { initialPrompt: prepared.initialPrompt } : {}),
        ...(prepared.temperature !== undefined ? { temperature: prepared.temperature } : {}),
        vadModel: prepared.vadModel,
        signal: run.signal,
        onVadProgress: (fraction) => run.progress('vad', fraction),
        onProgress: (fraction) => run.progress('transcribe', fraction),
        ...(run.onSegment ? { onSegment: run.onSegment } : {}),
      }),

    async refine(doc, draft, prepared, run) {
      const { refine } = prepared.params;
      if (!refine || draft.segments.length === 0) return { doc, spans: 0 };
      const weakSpans = lowConfidenceSpans(doc, { threshold: refine.threshold });
      let out = doc;
      for (const [index, weak] of weakSpans.entries()) {
        const better = await transcribeRange(whisper, {
          tools: prepared.tools,
          file: prepared.file,
          streamIndex: prepared.probe.audio.index,
          span: weak,
          totalMs: weak.endMs - weak.startMs,
          modelId: refine.modelId,
          lane: run.lane,
          language: draft.language,
          translate: prepared.params.translate,
          ...(prepared.initialPrompt ? { initialPrompt: prepared.initialPrompt } : {}),
          vadModel: prepared.vadModel,
          signal: run.signal,
          onProgress: (fraction) => run.progress('refine', (index + fraction) / weakSpans.length),
        });
        const replacement = documentFromSegments(better.segments, draft.language, prepared.source);
        out = mergeSpan(out, replacement, weak, {
          rules: prepared.rules,
          idPrefix: `r${index + 1}-`,
        }).doc;
      }
      if (weakSpans.length > 0) {
        run.note(
          `${weakSpans.length} low-confidence span${weakSpans.length > 1 ? 's were' : ' was'} transcribed again with ${refine.modelId}.`,
        );
      }
      return { doc: out, spans: weakSpans.length };
    },

    async speakers(doc, draft, prepared, run) {
      const { params, probe, installedVad } = prepared;
      if (params.speakers.mode === 'off' || !installedVad || draft.segments.length === 0) {
        return { doc, prints: [] };
      }
      run.progress('speakers', 0);
      const found = await findSpeakers({
        tools: prepared.tools,
        file: prepared.file,
        streamIndex: probe.audio.index,
        signal: run.signal,
        channels: probe.audio.channels,
        durationSec: probe.durationSec,
        detection: params.speakers,
        speech: draft.speech,
        vadModel: installedVad,
        neural: prepared.neuralModels
          ? { service: diarization, models: prepared.neuralModels }
          : null,
        diarization,
        onProgress: (fraction) => run.progress('speakers', fraction),
      });
      // finish re-wraps the captions, splitting them at speaker changes.
      const assigned = labelWords(doc, found.turns);
      let out =
        found.diarizer === 'channels' ? nameChannels(assigned, probe.audio.channels) : assigned.doc;
      if (found.note) {
        run.note(found.note);
        out = { ...out, notes: [...out.notes, found.note] };
      }
      const byLabel = found.prints?.byLabel ?? {};
      const prints = [...assigned.speakerIds].flatMap(([label, speakerId]) => {
        const print = byLabel[label];
        return print && found.prints
          ? [{ speakerId, kind: found.prints.kind, print, voiceId: null }]
          : [];
      });
      return { doc: out, prints };
    },

    finish: finishDocument,
  };
  const stages: PipelineStages = { ...defaults, ...overrides };

  return {
    stages,

    async prepare(file, params, { signal, extras = {} }) {
      const probe = await media.probe(file, { signal });
      for (const modelId of [params.modelId, ...(params.refine ? [params.refine.modelId] : [])]) {
        readyWhisperModel(models, modelId);
      }
      const installedVad = installedVadModel(models);
      checkSpeakerDetection(params.speakers, installedVad, probe.audio.channels);
      const notes: string[] = [];
      if (params.vad && !installedVad) {
        notes.push(
          `The voice-activity model (${DEFAULT_VAD_MODEL_ID}) is not installed, so silence was not skipped and hallucinations on silence are not flagged.`,
        );
      }
      const durationMs = Math.round(probe.durationSec * 1000);
      const rules = presetRules(params.preset, { custom: params.customRules });
      const modelSha256 = sha256Of(params.modelId);
      return {
        file,
        probe,
        durationMs,
        params,
        rules,
        source: {
          durationMs,
          modelId: params.modelId,
          modelSha256,
          params: {
            ...params,
            ...(extras.prompt !== undefined ? { prompt: extras.prompt } : {}),
            ...(extras.temperature !== undefined ? { temperature: extras.temperature } : {}),
          },
          engineVersion,
          captions: { preset: params.preset, rules },
        },
        language: params.language === 'auto' ? null : params.language,
        vadModel: params.vad ? installedVad : null,
        installedVad,
        neuralModels: params.speakers.mode === 'auto' ? readyNeuralModels(models, sha256Of) : null,
        modelSha256,
        refineSha256: params.refine ? sha256Of(params.refine.modelId) : null,
        initialPrompt:
          extras.prompt ?? (params.glossary ? buildInitialPrompt(params.glossary) : undefined),
        temperature: extras.temperature,
        tools: await media.tools(),
        notes,
      };
    },

    async run(prepared, run) {
      for (const note of prepared.notes) run.note(note);
      const draft = await stages.transcribe(prepared, run, prepared.params.span);
      let doc = documentFromSegments(draft.segments, draft.language, prepared.source);
      const refined = await stages.refine(doc, draft, prepared, run);
      const speakers = await stages.speakers(refined.doc, draft, prepared, run);
      run.progress('finalize', 0);
      doc = await stages.finish(speakers.doc, prepared.params, prepared.rules, draft.speech);
      if (draft.segments.length === 0) run.note('No speech was detected; the transcript is empty.');
      return {
        document: doc,
        segments: draft.segments,
        language: draft.language,
        speech: draft.speech,
        prints: speakers.prints,
        refinedSpans: refined.spans,
      };
    },
  };
}
