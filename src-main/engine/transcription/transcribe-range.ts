import { decodeAudio } from '../media/decode';
import type { FfmpegTools } from '../media/ffmpeg-tools';
import type { Lane } from '../pool/lane-queue';
import { detectSpeechRegions } from '../vad/speech-regions';
import type { WhisperSegment } from '../whisper/addon';
import type { WhisperService } from './whisper-service';
import { audioWindows } from './windows';

export interface SpeechRegion {
  startMs: number;
  endMs: number;
}

export interface RangeRequest {
  tools: FfmpegTools;
  file: string;
  /** The audio stream the probe chose. */
  streamIndex: number;
  /** Part of the media to transcribe; the whole of it when absent. */
  span?: { startMs: number; endMs: number };
  /** Length of what is transcribed (the span, or the media). */
  totalMs: number;
  modelId: string;
  lane: Lane;
  /** ISO code, or null to detect (the first window's language is then kept for the rest). */
  language: string | null;
  translate: boolean;
  initialPrompt?: string;
  /** Initial sampling temperature, 0…1. @default Whisper's (0, rising on fallback) */
  temperature?: number;
  /** Silero model path: silence is found first and skipped; null transcribes everything. */
  vadModel: string | null;
  signal: AbortSignal;
  onVadProgress?: (fraction: number) => void;
  onProgress?: (fraction: number) => void;
  /** Each segment as Whisper finishes it, in media time. */
  onSegment?: (segment: WhisperSegment) => void;
}

export interface RangeResult {
  /** In media time. */
  segments: WhisperSegment[];
  language: string | null;
  /** Speech regions in media time, or null without VAD. */
  speech: SpeechRegion[] | null;
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
 * Transcribes a file or a span of it: first the speech regions (decoded in chunks, nothing kept
 * but the regions), then the audio again in windows of at most 10 minutes cut in silences, each
 * window without speech skipped and the others run through Whisper in the worker pool.
 */
export async function transcribeRange(
  whisper: WhisperService,
  request: RangeRequest,
): Promise<RangeResult> {
  const { tools, file, span, totalMs, signal } = request;
  const offsetMs = span?.startMs ?? 0;
  const decodeRange = {
    streamIndex: request.streamIndex,
    ...(span
      ? { startSec: span.startMs / 1000, durationSec: (span.endMs - span.startMs) / 1000 }
      : {}),
  };

  // Regions relative to the start of the range, like the windows below.
  let regions: SpeechRegion[] | null = null;
  if (request.vadModel) {
    const found = await detectSpeechRegions(
      {
        decode: (path, options) => decodeAudio(tools, path, { ...options, ...decodeRange }),
        vadModelPath: request.vadModel,
        // Silero runs in the whisper pool, beside the transcriptions of this lane.
        detect: (pcm, options, context) =>
          whisper.detectSpeech(pcm, options, { ...context, lane: request.lane }),
      },
      file,
      {
        signal,
        onProgress: (sec) =>
          request.onVadProgress?.(Math.min(1, (sec * 1000) / Math.max(1, totalMs))),
      },
    );
    regions = found;
  }
  request.onVadProgress?.(1);

  const segments: WhisperSegment[] = [];
  let language = request.language;
  if (regions === null || regions.length > 0) {
    const known = regions;
    const windows = audioWindows(decodeAudio(tools, file, { ...decodeRange, signal }), {
      speechRegions: known
        ? async (pcm, startMs) => regionsWithin(known, startMs, startMs + pcm.length / 16)
        : undefined,
    });
    for await (const window of windows) {
      const windowMs = window.pcm.length / 16;
      if (
        windowMs === 0 ||
        (known && regionsWithin(known, window.startMs, window.startMs + windowMs).length === 0)
      )
        continue;
      const done = window.startMs / Math.max(1, totalMs);
      const share = windowMs / Math.max(1, totalMs);
      const windowOffset = offsetMs + window.startMs;
      const { result } = await whisper.transcribe({
        modelId: request.modelId,
        lane: request.lane,
        pcm: window.pcm,
        signal,
        params: {
          language: language ?? 'auto',
          translate: request.translate,
          ...(request.initialPrompt ? { initialPrompt: request.initialPrompt } : {}),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          ...(request.vadModel ? { vad: { modelPath: request.vadModel } } : {}),
        },
        onProgress: (percent) => request.onProgress?.(done + (share * percent) / 100),
        onSegment: (segment) => {
          const shifted = shift(segment, windowOffset);
          segments.push(shifted);
          request.onSegment?.(shifted);
        },
      });
      // Keep the language the first window found, so later windows do not drift.
      language ??= result.language;
    }
  }
  request.onProgress?.(1);
  return {
    segments,
    language,
    speech:
      regions && regions.map((r) => ({ startMs: r.startMs + offsetMs, endMs: r.endMs + offsetMs })),
  };
}
