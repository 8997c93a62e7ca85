import type { TranscriptDocument } from '../../contract/document';
import { presetRules } from '../captions/presets';
import { transcribeParams } from '../../contract/jobs';
import type { MediaService } from '../media/media-service';
import type { SettingsService } from '../settings/settings-service';
import type { Repositories } from '../store/repositories';
import { finishDocument } from '../transcription/pipeline';
import { documentFromSegments } from '../documents/assemble-document';
import { studioVersion } from '../version';
import type { WhisperSegment } from '../whisper/addon';
import type { TimedWord } from './local-agreement';
import type { WavWriter } from './wav-writer';

export interface LiveRecordingSummary {
  /** Audio received, in ms. */
  durationMs: number;
  /** The session's language (the detected one for 'auto'), or null if none was detected. */
  language: string | null;
  /** The committed words, one batch per `final` event, in order. */
  finals: TimedWord[][];
}

export interface SaveRecordingDeps {
  media: Pick<MediaService, 'add' | 'remove'>;
  repos: Pick<Repositories, 'transcripts' | 'models'>;
  settings: Pick<SettingsService, 'get'>;
}

/**
 * Whisper-shaped segments for committed words: one segment per `final` batch, one token per word
 * (with its leading space, so each token starts a word again when the document is built).
 */
export function segmentsFromFinals(finals: readonly TimedWord[][]): WhisperSegment[] {
  return finals
    .filter((batch) => batch.length > 0)
    .map((batch, index) => ({
      index,
      t0: batch[0]!.startMs,
      t1: batch.at(-1)!.endMs,
      text: batch.map((word) => ` ${word.text}`).join(''),
      noSpeechProb: 0,
      tokens: batch.map((word, id) => ({
        id,
        text: ` ${word.text}`,
        p: word.p,
        plog: Math.log(Math.max(word.p, 1e-9)),
        t0: word.startMs,
        t1: word.endMs,
        tDtw: null,
        special: false,
      })),
    }));
}

/**
 * The transcript document of a live session: the words it committed, through the same finish as
 * every transcription (quality guards, caption wrap with the default preset).
 */
export async function liveDocument(
  summary: LiveRecordingSummary,
  modelId: string,
  modelSha256: string | null,
  preset: ReturnType<SettingsService['get']>['defaultPreset'],
): Promise<TranscriptDocument> {
  const params = transcribeParams.parse({
    modelId,
    language: summary.language ?? 'auto',
    preset,
  });
  const rules = presetRules(preset);
  const doc = documentFromSegments(segmentsFromFinals(summary.finals), summary.language, {
    durationMs: summary.durationMs,
    modelId,
    modelSha256,
    params: { live: true, language: summary.language ?? 'auto' },
    engineVersion: studioVersion,
    captions: { preset, rules },
  });
  return finishDocument(doc, params, rules, null);
}

/**
 * Finishes the session's WAV, adds it to the library and stores its transcript (complete).
 * On failure nothing is left behind: the item (and with it the file) or the file is removed.
 */
export async function saveRecording(
  deps: SaveRecordingDeps,
  writer: WavWriter,
  modelId: string,
  summary: LiveRecordingSummary,
): Promise<{ mediaId: string; transcriptId: string }> {
  await writer.finish();
  let mediaId: string | undefined;
  try {
    const item = await deps.media.add(writer.path, {
      name: `Live recording ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`,
    });
    mediaId = item.id;
    const document = await liveDocument(
      summary,
      modelId,
      deps.repos.models.get(modelId)?.sha256 ?? null,
      deps.settings.get().defaultPreset,
    );
    const transcript = deps.repos.transcripts.insert({
      mediaId: item.id,
      modelId,
      language: summary.language,
      document,
      status: 'complete',
    });
    return { mediaId: item.id, transcriptId: transcript.id };
  } catch (error) {
    // Removing the item deletes its file too (it lies in the uploads folder).
    if (mediaId) await deps.media.remove(mediaId).catch(() => undefined);
    await writer.discard();
    throw error;
  }
}
