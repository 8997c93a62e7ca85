import { detectSpeech } from '../whisper/addon';
import type { LiveSpeechDetector } from './live-session';

/**
 * Silero VAD (through the addon) as live sessions use it: pauses of 200 ms already split speech
 * into spans, so the session can tell a breath from the end of an utterance itself.
 */
export const sileroLiveDetector =
  (modelPath: string): LiveSpeechDetector =>
  async (pcm, signal) =>
    (await detectSpeech(pcm, { modelPath, minSilenceDurationMs: 200, speechPadMs: 30 }, { signal }))
      .regions;
