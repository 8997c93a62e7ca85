/**
 * One-off transcription of a file that does not become part of the library (the OpenAI-compatible
 * endpoints use it): the pipeline of a transcription job — probe, speech regions, Whisper in
 * bounded windows in the worker pool, document, quality guards, glossary and caption wrap — with
 * nothing stored: no media item, no transcript, no result cache.
 */
import type { TranscriptDocument } from '../../contract/document';
import type { TranscribeParams } from '../../contract/jobs';
import type { Lane } from '../pool/lane-queue';
import type { WhisperSegment } from '../whisper/addon';
import { whisperLanguages } from '../whisper/languages';
import { createPipeline, type PipelineDeps } from './pipeline';

export type TranscribeFileDeps = PipelineDeps;

export interface TranscribeFileRequest {
  /** Any media file ffmpeg reads; probed against the media limits first. */
  file: string;
  /** The effective settings (TranscriptionService.resolve: the request over the defaults). */
  params: TranscribeParams;
  /** Context for the decoder instead of the glossary's prompt: names, spelling, style. */
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
  const { signal } = request;
  const pipeline = createPipeline(deps);
  const prepared = await pipeline.prepare(request.file, request.params, {
    signal,
    extras: {
      ...(request.prompt ? { prompt: request.prompt } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    },
  });
  const result = await pipeline.run(prepared, {
    lane: request.lane ?? 'interactive',
    signal,
    progress: () => undefined,
    note: () => undefined,
  });
  const languageName =
    result.language === null
      ? null
      : (whisperLanguages().find((l) => l.code === result.language)?.name ?? null);
  return {
    document: result.document,
    segments: result.segments,
    language: result.language,
    languageName,
    durationSec: prepared.probe.durationSec,
    modelId: request.params.modelId,
  };
}
