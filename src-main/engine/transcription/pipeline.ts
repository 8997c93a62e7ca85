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
import type { DiarizationService } from '../diarization/neural/diarization-service';
import { readyNeuralModels, type NeuralModels } from '../diarization/neural/neural-models';
import {
  assembleDocument,
  documentFromSegments,
  finishDocument,
  type AssembledDocument,
  type AssembleInput,
} from '../documents/assemble-document';
import type { DocumentSourceOptions } from '../documents/build-document';
import type { DocumentWorker } from '../documents/document-worker';
import { lowConfidenceSpans } from '../documents/low-confidence-spans';
import { mergeSpan } from '../documents/merge-span';
import { buildInitialPrompt } from '../glossary/initial-prompt';
import type { StageWeight } from '../jobs/progress';
import type { FfmpegTools } from '../media/ffmpeg-tools';
import type { MediaService } from '../media/media-service';
import type { ModelManager } from '../models/model-manager';
import type { Lane } from '../pool/lane-queue';
import { checkSpeakerDetection, findSpeakers, type FoundSpeakers } from '../speakers/find-speakers';
import type { Repositories } from '../store/repositories';
import { DEFAULT_VAD_MODEL_ID, installedVadModel } from '../vad/speech-regions';
import type { WhisperSegment } from '../whisper/addon';
import { transcribeRange, type RangeResult } from './transcribe-range';
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
  /** The document worker thread, for assembling long documents off the event loop. */
  documents?: Pick<DocumentWorker, 'assemble'>;
}

/** What a job that reads and stores library items needs besides the pipeline's own deps. */
export interface JobPipelineDeps extends PipelineDeps {
  repos: Repositories;
  media: MediaService;
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
  /** Who speaks when, as the params ask; null when no speakers are looked for. */
  speakers(draft: RangeResult, prepared: Prepared, run: RunContext): Promise<FoundSpeakers | null>;
  /**
   * The document from the segments (or the refined document), with the speakers on its words,
   * through the finish: in the document worker thread when it is long.
   */
  assemble(input: AssembleInput): Promise<AssembledDocument>;
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

export { finishDocument };

/**
 * Words (Whisper tokens) up to which a document is assembled on the engine's thread: a few
 * milliseconds' work, less than sending it to the worker thread and back. Beyond, the worker.
 */
const assembleInlineUpTo = 1000;

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
  const { media, models, whisper, diarization, repos, engineVersion, documents } = deps;
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

    async speakers(draft, prepared, run) {
      const { params, probe, installedVad } = prepared;
      if (params.speakers.mode === 'off' || !installedVad || draft.segments.length === 0) {
        return null;
      }
      run.progress('speakers', 0);
      return findSpeakers({
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
    },

    assemble: (input) => {
      const { from } = input;
      const words =
        'doc' in from
          ? from.doc.segments.reduce(
              (n, s) => n + s.lines.reduce((m, l) => m + l.words.length, 0),
              0,
            )
          : from.segments.reduce((n, s) => n + s.tokens.length, 0);
      const long = words > assembleInlineUpTo;
      return long && documents ? documents.assemble(input) : assembleDocument(input);
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
      const { params, source } = prepared;
      const draft = await stages.transcribe(prepared, run, params.span);
      let from: AssembleInput['from'] = {
        segments: draft.segments,
        language: draft.language,
        source,
      };
      let refinedSpans = 0;
      if (params.refine && draft.segments.length > 0) {
        const built = documentFromSegments(draft.segments, draft.language, source);
        const refined = await stages.refine(built, draft, prepared, run);
        from = { doc: refined.doc };
        refinedSpans = refined.spans;
      }
      const found = await stages.speakers(draft, prepared, run);
      if (found?.note) run.note(found.note);
      run.progress('finalize', 0);
      const { doc, speakerIds } = await stages.assemble({
        from,
        speakers: found && {
          turns: found.turns,
          channels: found.diarizer === 'channels' ? prepared.probe.audio.channels : null,
          note: found.note,
        },
        finish: {
          params: {
            lowConfidence: params.lowConfidence,
            preset: params.preset,
            ...(params.glossary ? { glossary: params.glossary } : {}),
          },
          rules: prepared.rules,
          speech: draft.speech,
        },
      });
      if (draft.segments.length === 0) run.note('No speech was detected; the transcript is empty.');
      const byLabel = found?.prints?.byLabel ?? {};
      const prints = speakerIds.flatMap(([label, speakerId]) => {
        const print = byLabel[label];
        return print && found?.prints
          ? [{ speakerId, kind: found.prints.kind, print, voiceId: null }]
          : [];
      });
      return {
        document: doc,
        segments: draft.segments,
        language: draft.language,
        speech: draft.speech,
        prints,
        refinedSpans,
      };
    },
  };
}
