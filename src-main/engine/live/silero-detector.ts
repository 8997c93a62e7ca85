import type { WhisperService } from '../transcription/whisper-service';
import type { LiveSpeechDetector } from './live-session';

/**
 * Silero VAD (in a whisper worker, on the pool's live lane) as live sessions use it: pauses of
 * 200 ms already split speech into spans, so the session can tell a breath from the end of an
 * utterance itself.
 */
export const sileroLiveDetector =
  (whisper: Pick<WhisperService, 'detectSpeech'>, modelPath: string): LiveSpeechDetector =>
  async (pcm, signal) =>
    (
      await whisper.detectSpeech(
        pcm,
        { modelPath, minSilenceDurationMs: 200, speechPadMs: 30 },
        { signal, lane: 'live' },
      )
    ).regions;
