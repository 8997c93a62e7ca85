/**
 * What the preload hands the renderer as `window.studio` under Electron. In a plain browser
 * (the `serve` mode) it is absent and the UI falls back to web equivalents.
 */
export interface StudioBridge {
  readonly platform: string;
  /** Engine base URL when the page is not served by the engine itself (development only). */
  readonly apiBase?: string;
  /**
   * Bearer token for the engine API: a per-run session token the main process keeps in memory
   * only. Never persisted.
   */
  readonly apiToken?: string;
  /** Native open dialog for media files; resolves to absolute paths (empty when cancelled). */
  openMediaDialog(): Promise<string[]>;
  /** Native save dialog; resolves to the chosen path or null when cancelled. */
  saveFileDialog(defaultName: string): Promise<string | null>;
  /** Native folder dialog; resolves to the media files inside the chosen folders. */
  openFolderDialog(): Promise<string[]>;
  /** The absolute path of a dropped or picked file (null for one not on disk). */
  pathForFile(file: File): string | null;
  /** Dropped paths with folders replaced by the media files inside them. */
  expandPaths(paths: string[]): Promise<string[]>;
  /**
   * Menu and tray commands: `undo`, `redo`, `find`, `shortcuts`, `go:<section>` (see
   * src-main/electron/commands.ts). Returns an unsubscribe function.
   */
  onCommand(listener: (command: string) => void): () => void;
  /** Files chosen with File › Import Media… or Import Folder…, to add to the library. */
  onImportPaths(listener: (paths: string[]) => void): () => void;
  /**
   * Opens (or brings forward) the caption overlay: a frameless, always-on-top window showing
   * `#/overlay`, which reads the live captions from the `studio-live-captions` BroadcastChannel.
   */
  openCaptionOverlay(): Promise<void>;
  /** Closes the caption overlay window when it is open. */
  closeCaptionOverlay(): Promise<void>;
}

declare global {
  interface Window {
    studio?: StudioBridge;
  }
}
