import { useEffect } from 'react';
import { createPortal } from 'react-dom';
import { publishCaptions } from './caption-feed';
import { CaptionOverlay } from './CaptionOverlay';
import { captionSnapshot, isActive, useLive } from './live-store';
import { dismissCaptions, usePresentation } from './presentation';

/**
 * The shell's part of live captions, mounted whatever view shows: it feeds the caption
 * overlays, closes them when a session ends, renders the Picture-in-Picture overlay, and asks
 * before the page is closed or reloaded while a session runs (that would end it unsaved).
 */
export function LiveHost() {
  const active = useLive((s) => isActive(s.phase));
  const pipWindow = usePresentation((s) => s.pipWindow);

  useEffect(() => {
    const publisher = publishCaptions(() => captionSnapshot(useLive.getState()));
    const unsubscribe = useLive.subscribe((state, previous) => {
      if (state.captions !== previous.captions || state.phase !== previous.phase) {
        publisher.post(captionSnapshot(state));
      }
      // The session has ended (Stop, an error, the connection lost): its caption windows close.
      if (isActive(previous.phase) && !isActive(state.phase)) dismissCaptions();
    });
    return () => {
      unsubscribe();
      publisher.close();
    };
  }, []);

  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [active]);

  return pipWindow ? createPortal(<CaptionOverlay />, pipWindow.document.body) : null;
}

/** The sidebar's sign that captions are running (for a session left running in the background). */
export function LiveBadge() {
  const active = useLive((s) => isActive(s.phase));
  if (!active) return null;
  return (
    <>
      <span className="live-dot" aria-hidden="true" />
      <span className="visually-hidden">, captions running</span>
    </>
  );
}
