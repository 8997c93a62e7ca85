import { BrowserWindow, screen } from 'electron';
import { lockDownWebContents } from './window-security';

export interface CaptionOverlay {
  /** Shows the overlay, creating it at the bottom of the main display the first time. */
  open(): void;
  close(): void;
}

/**
 * The big-caption overlay for presenting: a frameless window above every other (full-screen
 * slides included) that shows the renderer's `#/overlay` route. It reads the captions from the
 * `studio-live-captions` BroadcastChannel, which same-origin windows of one session share, so it
 * needs no IPC of its own. The page marks its background as the window's drag handle.
 */
export function createCaptionOverlay(pageUrl: string, preload: string): CaptionOverlay {
  let window: BrowserWindow | null = null;
  return {
    open() {
      if (window && !window.isDestroyed()) {
        window.showInactive();
        return;
      }
      const { workArea } = screen.getPrimaryDisplay();
      const width = Math.round(workArea.width * 0.8);
      const height = 240;
      const overlay = new BrowserWindow({
        x: workArea.x + Math.round((workArea.width - width) / 2),
        y: workArea.y + workArea.height - height - 48,
        width,
        height,
        minWidth: 320,
        minHeight: 120,
        title: 'Live captions',
        frame: false,
        alwaysOnTop: true,
        skipTaskbar: true,
        backgroundColor: '#000000',
        show: false,
        webPreferences: {
          preload,
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          webSecurity: true,
        },
      });
      // Above full-screen windows too (presentation software), on every workspace.
      overlay.setAlwaysOnTop(true, 'screen-saver');
      overlay.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
      lockDownWebContents(overlay.webContents, new URL(pageUrl).origin);
      overlay.once('ready-to-show', () => overlay.showInactive());
      overlay.on('closed', () => {
        if (window === overlay) window = null;
      });
      window = overlay;
      void overlay.loadURL(new URL('#/overlay', pageUrl).href);
    },
    close() {
      if (window && !window.isDestroyed()) window.close();
    },
  };
}
