import { create } from 'zustand';
import { committedTail, emptyCaptions, type Captions } from './captions';
import { noCaptions, type CaptionSnapshot } from './caption-feed';
import type { MicrophoneOptions } from './capture';
import { silence, type Level } from './level';
import type { LiveProblem } from './problems';

/**
 * idle: nothing runs. starting: opening the microphone and the connection. running: audio
 * flows and captions come back. stopping: the microphone is off and the engine finishes (and
 * saves) the session.
 */
export type LivePhase = 'idle' | 'starting' | 'running' | 'stopping';

/** What a session is started with. */
export interface LiveOptions extends MicrophoneOptions {
  /** A ready Whisper model; null for the engine's default. */
  model: string | null;
  /** ISO 639-1 code or 'auto'. */
  language: string;
  /** Keep the recording and its transcript in the library. */
  save: boolean;
}

export interface LiveState {
  /** The options of the current (or last) session; null before the first. */
  options: LiveOptions | null;
  phase: LivePhase;
  captions: Captions;
  /** The microphone's level in the last frame. */
  level: Level;
  /** Date.now() when the microphone started (the session's time 0); null before a start. */
  startedAt: number | null;
  /** Date.now() when the microphone stopped, so the elapsed time stays put afterwards. */
  stoppedAt: number | null;
  /** The last report that captions trail the speech (from the engine or the connection). */
  lag: { behindMs: number; at: number } | null;
  problem: LiveProblem | null;
  /** The model and language the engine runs, once it is ready. */
  engine: { modelId: string; language: string } | null;
}

export const initialLiveState: LiveState = {
  options: null,
  phase: 'idle',
  captions: emptyCaptions,
  level: silence,
  startedAt: null,
  stoppedAt: null,
  lag: null,
  problem: null,
  engine: null,
};

/**
 * The live session as the UI shows it. It outlives the live view: captions keep running while
 * the user looks at another section (see live-controller.ts).
 */
export const useLive = create<LiveState>()(() => initialLiveState);

/** Committed text the overlay gets: enough for two long lines at any offered font size. */
const overlayChars = 400;

/**
 * What the caption overlays show of the state: the captions while a session runs (or finishes),
 * nothing once it has ended, so no overlay keeps showing the last caption after Stop.
 */
export const captionSnapshot = (state: LiveState): CaptionSnapshot => {
  const live = state.phase === 'running' || state.phase === 'stopping';
  return live
    ? {
        committed: committedTail(state.captions, overlayChars),
        partial: state.captions.partial,
        live,
      }
    : noCaptions;
};

export const isActive = (phase: LivePhase) => phase !== 'idle';
