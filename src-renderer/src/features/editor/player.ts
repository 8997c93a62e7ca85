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
}

export function createPlayer(): Player {
  let media: HTMLMediaElement | null = null;
  let timeline: WordTimeline = { ids: [], starts: [], ends: [], segmentOf: [] };
  const publish = (ms: number) => {
    const i = wordIndexAt(timeline, ms);
    useEditorUi.getState().setPlayhead(ms, i >= 0 ? timeline.ids[i]! : null);
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
    seek(ms) {
      const at = Math.max(0, Math.round(ms));
      publish(at);
      if (media) media.currentTime = at / 1000;
    },
    toggle() {
      if (!media) return;
      if (media.paused) media.play().catch(toastError);
      else media.pause();
    },
  };
}
