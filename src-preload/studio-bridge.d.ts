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
}

declare global {
  interface Window {
    studio?: StudioBridge;
  }
}
