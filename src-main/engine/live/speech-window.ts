/**
 * What a live step decodes, given the speech a VAD heard in the unconfirmed audio. Whisper makes
 * words up in silence and gets slower with every second it is given, so a step skips audio
 * without speech, starts its window shortly before the first speech, and, once a speaker has
 * paused for `utteranceEndMs`, decodes only up to that pause and makes the utterance final at
 * once: its words cannot change any more, so waiting for a second agreeing hypothesis would only
 * add a step of latency. Pure; times in ms from the first sample of the window.
 */

/** A stretch of speech in ms from the first sample of the audio given to the detector. */
export interface SpeechSpan {
  startMs: number;
  endMs: number;
}

export interface SpeechWindowOptions {
  /**
   * A pause at least this long ends an utterance (jfk.wav's pauses between phrases are
   * 480–1000 ms).
   * @default 400
   */
  utteranceEndMs?: number;
  /**
   * Audio kept around speech: before the first speech of a window, and after an utterance end
   * (at most half the pause), so words are not clipped.
   * @default 200
   */
  speechPadMs?: number;
}

export const speechWindowDefaults: Readonly<Required<SpeechWindowOptions>> = {
  utteranceEndMs: 400,
  speechPadMs: 200,
};

export type WindowPlan =
  /** No speech: nothing to decode; everything up to `untilMs` can be let go. */
  | { kind: 'silence'; untilMs: number }
  /**
   * Decode [fromMs, toMs). `utteranceEnd`: the audio ends in a pause, so the hypothesis is final
   * as it is (else it goes through LocalAgreement).
   */
  | { kind: 'decode'; fromMs: number; toMs: number; utteranceEnd: boolean };

/**
 * Plans the step over a window of `windowMs` in which the VAD found `spans` (in time order).
 * Speech before `committedMs` (the left context kept before the commit point) is already final
 * and is not looked at again. The last pause of at least `utteranceEndMs` — between two spans,
 * or after the last span up to the end of the window — ends the utterance.
 */
export function planSpeechWindow(
  spans: readonly SpeechSpan[],
  windowMs: number,
  committedMs = 0,
  options: SpeechWindowOptions = {},
): WindowPlan {
  const { utteranceEndMs, speechPadMs } = { ...speechWindowDefaults, ...options };
  const speech = spans
    .filter((span) => span.endMs > Math.max(span.startMs, committedMs) && span.startMs < windowMs)
    .map((span) => ({ startMs: Math.max(span.startMs, committedMs), endMs: span.endMs }));
  if (speech.length === 0) {
    return { kind: 'silence', untilMs: Math.max(0, windowMs - speechPadMs) };
  }
  const fromMs = Math.max(0, speech[0]!.startMs - speechPadMs);
  for (let i = speech.length - 1; i >= 0; i--) {
    const end = Math.min(speech[i]!.endMs, windowMs);
    const next = i + 1 < speech.length ? speech[i + 1]!.startMs : windowMs;
    const pause = next - end;
    if (pause >= utteranceEndMs) {
      return {
        kind: 'decode',
        fromMs,
        toMs: Math.round(end + Math.min(speechPadMs, pause / 2)),
        utteranceEnd: true,
      };
    }
  }
  return { kind: 'decode', fromMs, toMs: windowMs, utteranceEnd: false };
}
