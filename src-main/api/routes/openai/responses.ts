/**
 * A finished transcription in the shapes OpenAI's audio endpoints answer with. Captions (SRT,
 * WebVTT) and plain text come from the engine's exporters; JSON follows OpenAI's field names,
 * with times in seconds.
 */
import { deflateSync } from 'node:zlib';
import type { TranscriptDocument } from '../../../contract/document';
import type {
  OpenaiResponseFormat,
  OpenaiSegment,
  OpenaiVerboseTranscription,
  TimestampGranularity,
} from '../../../contract/openai';
import { segmentText } from '../../../common/document-text';
import { exportMediaTypes } from '../../../engine/exports';
import { endingWithMedia } from '../../../engine/exports/media-end';
import { exportSrt } from '../../../engine/exports/srt';
import { exportTxt } from '../../../engine/exports/txt';
import { exportVtt } from '../../../engine/exports/vtt';
import type { FileTranscription } from '../../../engine/transcription/transcribe-file';
import type { WhisperSegment } from '../../../engine/whisper/addon';

export interface ReplyOptions {
  format: OpenaiResponseFormat;
  task: 'transcribe' | 'translate';
  /** `timestamp_granularities[]` as asked; none means segments only. */
  granularities: readonly TimestampGranularity[];
  /** The temperature asked for, reported on every segment. */
  temperature: number;
}

export type OpenaiReply =
  | { contentType: string; body: string }
  | { contentType: 'application/json; charset=utf-8'; body: object };

const seconds = (ms: number) => ms / 1000;

/** The transcript as one line of text: the document's segments joined. */
export const documentText = (doc: TranscriptDocument): string =>
  doc.segments.map(segmentText).join(' ');

/** How well the text compresses (repetitive, looping output compresses well), as OpenAI reports it. */
function compressionRatio(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length === 0 ? 0 : bytes.length / deflateSync(bytes).length;
}

/** One Whisper segment as OpenAI describes it; times clamped to the media's length. */
export function openaiSegment(
  segment: WhisperSegment,
  id: number,
  durationMs: number,
  temperature: number,
): OpenaiSegment {
  const spoken = segment.tokens.filter((token) => !token.special);
  const start = Math.min(segment.t0, durationMs);
  return {
    id,
    seek: Math.floor(start / 10),
    start: seconds(start),
    end: seconds(Math.min(Math.max(segment.t1, start), durationMs)),
    text: segment.text,
    tokens: spoken.map((token) => token.id),
    temperature,
    avg_logprob:
      spoken.length === 0 ? 0 : spoken.reduce((sum, token) => sum + token.plog, 0) / spoken.length,
    compression_ratio: compressionRatio(segment.text),
    no_speech_prob: segment.noSpeechProb,
  };
}

export function verboseTranscription(
  result: FileTranscription,
  options: Omit<ReplyOptions, 'format'>,
): OpenaiVerboseTranscription {
  const { document } = result;
  const wantWords = options.granularities.includes('word');
  const wantSegments =
    options.granularities.length === 0 || options.granularities.includes('segment');
  return {
    task: options.task,
    language: result.languageName ?? result.language ?? 'unknown',
    duration: result.durationSec,
    text: documentText(document),
    ...(wantSegments && {
      segments: result.segments.map((segment, index) =>
        openaiSegment(segment, index, document.durationMs, options.temperature),
      ),
    }),
    ...(wantWords && {
      words: document.segments.flatMap((segment) =>
        segment.lines.flatMap((line) =>
          line.words.map((word) => ({
            word: word.text,
            start: seconds(word.start),
            end: seconds(word.end),
          })),
        ),
      ),
    }),
  };
}

/** The body and content type for `options.format`. */
export function openaiReply(result: FileTranscription, options: ReplyOptions): OpenaiReply {
  // No caption or word time past the audio, as in every export.
  const document = endingWithMedia(result.document);
  switch (options.format) {
    case 'json':
      return {
        contentType: 'application/json; charset=utf-8',
        body: { text: documentText(document) },
      };
    case 'verbose_json':
      return {
        contentType: 'application/json; charset=utf-8',
        body: verboseTranscription(result, options),
      };
    case 'text':
      return { contentType: exportMediaTypes.txt, body: exportTxt(document) };
    case 'srt':
      return { contentType: exportMediaTypes.srt, body: exportSrt(document) };
    case 'vtt':
      return { contentType: exportMediaTypes.vtt, body: exportVtt(document) };
  }
}
