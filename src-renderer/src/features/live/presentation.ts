import { create } from 'zustand';

/** Chromium's Document Picture-in-Picture API, which TypeScript's DOM library lacks. */
interface DocumentPictureInPicture {
  requestWindow(options?: { width?: number; height?: number }): Promise<Window>;
}

declare global {
  interface Window {
    documentPictureInPicture?: DocumentPictureInPicture;
  }
}

/** The Picture-in-Picture window the overlay is rendered into (through a portal), if open. */
export const usePresentation = create<{ pipWindow: Window | null }>()(() => ({
  pipWindow: null,
}));

const size = { width: 960, height: 220 };

/** The pop-up `presentCaptions` opened last (browsers without Picture-in-Picture). */
let popup: Window | null = null;

/** Gives a fresh window this document's styles (copied rules, or links to the same files). */
function copyStyles(target: Document): void {
  for (const sheet of Array.from(document.styleSheets)) {
    let css: string | null = null;
    try {
      css = Array.from(sheet.cssRules, (rule) => rule.cssText).join('\n');
    } catch {
      // A sheet whose rules cannot be read: link to it instead.
    }
    if (css !== null) {
      const style = target.createElement('style');
      style.textContent = css;
      target.head.append(style);
    } else if (sheet.href) {
      const link = target.createElement('link');
      link.rel = 'stylesheet';
      link.href = sheet.href;
      target.head.append(link);
    }
  }
}

async function openPictureInPicture(api: DocumentPictureInPicture): Promise<void> {
  const open = usePresentation.getState().pipWindow;
  if (open && !open.closed) {
    open.focus();
    return;
  }
  const pip = await api.requestWindow(size);
  pip.document.documentElement.lang = document.documentElement.lang || 'en';
  pip.document.title = 'Live captions';
  copyStyles(pip.document);
  pip.addEventListener('pagehide', () => usePresentation.setState({ pipWindow: null }), {
    once: true,
  });
  usePresentation.setState({ pipWindow: pip });
}

/**
 * Shows the big-caption overlay: the app's own always-on-top window under Electron; in a
 * browser a Document Picture-in-Picture window (always on top) where the browser has the API,
 * else a pop-up window on `#/overlay`. Call it from a click or key press (the browser requires
 * one to open a window). Rejects with a message to show when a pop-up was blocked.
 */
export async function presentCaptions(): Promise<void> {
  if (typeof window.studio?.openCaptionOverlay === 'function') {
    await window.studio.openCaptionOverlay();
    return;
  }
  if (window.documentPictureInPicture) {
    await openPictureInPicture(window.documentPictureInPicture);
    return;
  }
  const opened = window.open(
    '#/overlay',
    'studio-captions',
    `popup,width=${size.width},height=${size.height}`,
  );
  popup = opened;
  if (!opened) {
    throw new Error(
      'The browser blocked the caption window. Allow pop-ups for this page, then press Present captions again.',
    );
  }
  opened.focus();
}

/**
 * Closes the caption windows the studio opened (the Electron overlay, the Picture-in-Picture
 * window, the pop-up), as a session ends: they would otherwise go on showing its last caption.
 * An overlay the person opened themselves stays, showing its waiting text (see captionSnapshot).
 */
export function dismissCaptions(): void {
  if (typeof window.studio?.closeCaptionOverlay === 'function') {
    void window.studio.closeCaptionOverlay();
  }
  const { pipWindow } = usePresentation.getState();
  if (pipWindow && !pipWindow.closed) pipWindow.close();
  usePresentation.setState({ pipWindow: null });
  if (popup && !popup.closed) popup.close();
  popup = null;
}
