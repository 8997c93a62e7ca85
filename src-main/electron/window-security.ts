import { shell, type WebContents } from 'electron';

/**
 * Keeps a window on its own origin: navigation elsewhere and pop-ups are refused, and only
 * https links leave the app, in the user's browser.
 */
export function lockDownWebContents(contents: WebContents, allowedOrigin: string): void {
  contents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== allowedOrigin) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (new URL(url).protocol === 'https:') void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, permission, callback) => {
    // The microphone is needed for live captions; nothing else is granted.
    callback(permission === 'media');
  });
}
