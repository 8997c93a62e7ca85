/**
 * Controls the media element once the media pane has one, and keeps the UI store's playhead (and
 * the word under it) in step with it. Created once per editing session.
 */
import { toastError } from '../../app/toasts';
import { useEditorUi } from './editor-ui';
import { wordIndexAt, type WordTimeline } from './timeline';

export interface Player {
  /** Uses `element` from now on; returns the function that lets it go. */
  attach(element: HTMLMediaElement): () => void;
  /** The word timeline of the current document (set on every change). */
  setTimeline(timeline: WordTimeline): void;
  timeline(): WordTimeline;
  /** Publishes the playhead at `ms` and the word being spoken there. */
  publish(ms: number): void;
  /** Moves the playhead (and the media, when there is one). */
  seek(ms: number): void;
  toggle(): void;
  /**
   * Plays `start`–`end` (ms) and pauses at `end` (e.g. a speaker's voice sample). A seek or
   * play/pause meanwhile, or the playhead moving away, cancels the stop.
   */
  playClip(start: number, end: number): void;
}

/**
 * The playhead this far outside a clip was moved there (a click on the waveform), not played
 * there: the clip's stop no longer applies. Before its start, a little slack for rounding.
 */
const CLIP_JUMP_MS = 1000;
const CLIP_SLACK_MS = 50;

export function createPlayer(): Player {
  let media: HTMLMediaElement | null = null;
  let timeline: WordTimeline = { ids: [], starts: [], ends: [], segmentOf: [] };
  let clip: { start: number; end: number } | null = null;
  const publish = (ms: number) => {
    const i = wordIndexAt(timeline, ms);
    useEditorUi.getState().setPlayhead(ms, i >= 0 ? timeline.ids[i]! : null);
    if (!clip) return;
    if (ms < clip.start - CLIP_SLACK_MS || ms >= clip.end + CLIP_JUMP_MS) {
      clip = null;
    } else if (ms >= clip.end && media && !media.paused) {
      // Pause, and put the playhead back on the clip's end (a frame may have run past it).
      const { end } = clip;
      clip = null;
      media.pause();
      media.currentTime = end / 1000;
    }
  };
  const seek = (ms: number) => {
    clip = null;
    const at = Math.max(0, Math.round(ms));
    publish(at);
    if (media) media.currentTime = at / 1000;
  };
  return {
    attach(element) {
      media = element;
      return () => {
        if (media === element) media = null;
      };
    },
    setTimeline(next) {
      timeline = next;
    },
    timeline: () => timeline,
    publish,
    seek,
    toggle() {
      clip = null;
      if (!media) return;
      if (media.paused) media.play().catch(toastError);
      else media.pause();
    },
    playClip(start, end) {
      seek(start);
      if (!media || end <= start) return;
      clip = { start: Math.round(start), end: Math.round(end) };
      if (media.paused) media.play().catch(toastError);
    },
  };
}
