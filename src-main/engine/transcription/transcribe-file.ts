/**
 * One-off transcription of a file that does not become part of the library (the OpenAI-compatible
 * endpoints use it). It takes the pipeline of a transcription job — probe, speech regions, Whisper
 * in bounded windows in the worker pool, document, quality guards and caption wrap — and stores
 * nothing: no media item, no transcript, no result cache.
 */
import type { TranscriptDocument } from '../../contract/document';
import { transcribeParams } from '../../contract/jobs';
import { presetRules } from '../captions/presets';
import type { DocumentSourceOptions } from '../documents/build-document';
import type { MediaService } from '../media/media-service';
import type { ModelManager } from '../models/model-manager';
import type { Lane } from '../pool/lane-queue';
import type { SettingsService } from '../settings/settings-service';
import type { Repositories } from '../store/repositories';
import { DEFAULT_VAD_MODEL_ID } from '../vad/speech-regions';
import { whisperLanguages, type WhisperSegment } from '../whisper/addon';
import { defaultWhisperModel } from './whisper-model';
import { finishDocument } from './transcribe-job';
import { documentFromSegments, transcribeRange } from './transcribe-range';
import type { WhisperService } from './whisper-service';

export interface TranscribeFileDeps {
  media: MediaService;
  models: ModelManager;
  whisper: WhisperService;
  settings: SettingsService;
  repos: Pick<Repositories, 'models'>;
  engineVersion: string;
}

export interface TranscribeFileRequest {
  /** Any media file ffmpeg reads; probed against the media limits first. */
  file: string;
  /** A ready Whisper model; null takes the default (see `defaultWhisperModel`). */
  modelId: string | null;
  /** ISO code, or null to detect. */
  language: string | null;
  /** Translate the speech to English. @default false */
  translate?: boolean;
  /** Context for the decoder: names, spelling, style. */
  prompt?: string;
  /** Initial sampling temperature, 0…1. @default Whisper's */
  temperature?: number;
  /** @default 'interactive': someone is waiting for the answer */
  lane?: Lane;
  /** Aborting stops the decoding and the transcription in the worker; rejects with CANCELLED. */
  signal: AbortSignal;
}

export interface FileTranscription {
  /** The finished document, as a job would store it. */
  document: TranscriptDocument;
  /** Whisper's segments as it decoded them, in media time (ms), for clients that want them raw. */
  segments: WhisperSegment[];
  /** ISO code of the spoken (or given) language; null when no speech was found to detect it. */
  language: string | null;
  /** Whisper's name for `language` (`english`), or null. */
  languageName: string | null;
  durationSec: number;
  /** The model that ran. */
  modelId: string;
}

/** Transcribes `file` without adding anything to the library. */
export async function transcribeFile(
  deps: TranscribeFileDeps,
  request: TranscribeFileRequest,
): Promise<FileTranscription> {
  const { media, models, whisper, settings, repos, engineVersion } = deps;
  const { signal } = request;
  const probe = await media.probe(request.file, { signal });
  const modelId = request.modelId ?? defaultWhisperModel(models, settings);
  models.resolvePath(modelId); // MODEL_NOT_READY, saying what to do, before any decoding

  const params = transcribeParams.parse({
    modelId,
    language: request.language ?? 'auto',
    translate: request.translate ?? false,
  });
  const rules = presetRules(params.preset);
  const durationMs = Math.round(probe.durationSec * 1000);
  const vadModel =
    models.get(DEFAULT_VAD_MODEL_ID)?.status === 'ready'
      ? models.resolvePath(DEFAULT_VAD_MODEL_ID)
      : null;
  const result = await transcribeRange(whisper, {
    tools: await media.tools(),
    file: probe.path,
    streamIndex: probe.audio.index,
    totalMs: durationMs,
    modelId,
    lane: request.lane ?? 'interactive',
    language: request.language,
    translate: params.translate,
    ...(request.prompt ? { initialPrompt: request.prompt } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    vadModel,
    signal,
  });

  const source: DocumentSourceOptions = {
    durationMs,
    modelId,
    modelSha256: repos.models.get(modelId)?.sha256 ?? null,
    params: {
      ...params,
      ...(request.prompt ? { prompt: request.prompt } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    },
    engineVersion,
    captions: { preset: params.preset, rules },
  };
  const document = await finishDocument(
    documentFromSegments(result.segments, result.language, source),
    params,
    rules,
    result.speech,
  );
  const languageName =
    result.language === null
      ? null
      : (whisperLanguages().find((l) => l.code === result.language)?.name ?? null);
  return {
    document,
    segments: result.segments,
    language: result.language,
    languageName,
    durationSec: probe.durationSec,
    modelId,
  };
}
