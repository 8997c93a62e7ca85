import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { StudioBridge } from './studio-bridge';

/** Listens on a main → renderer channel; the renderer never sees the IPC event itself. */
function subscribe<T>(channel: string, listener: (value: T) => void): () => void {
  const handler = (_event: Electron.IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, handler);
  return () => ipcRenderer.off(channel, handler);
}

/** The only channels the renderer may reach, each with a fixed shape. */
const bridge: StudioBridge = {
  platform: process.platform,
  // Only set in development, where the page comes from Vite instead of the engine.
  apiBase: (ipcRenderer.sendSync('studio:api-base') as string | null) ?? undefined,
  apiToken: (ipcRenderer.sendSync('studio:api-token') as string | null) ?? undefined,
  openMediaDialog: () => ipcRenderer.invoke('studio:open-media-dialog') as Promise<string[]>,
  saveFileDialog: (defaultName: string) =>
    ipcRenderer.invoke('studio:save-file-dialog', defaultName) as Promise<string | null>,
  openFolderDialog: () => ipcRenderer.invoke('studio:open-folder-dialog') as Promise<string[]>,
  pathForFile: (file: File) => webUtils.getPathForFile(file) || null,
  expandPaths: (paths: string[]) =>
    ipcRenderer.invoke('studio:expand-paths', paths) as Promise<string[]>,
  onCommand: (listener) => subscribe('studio:command', listener),
  onImportPaths: (listener) => subscribe('studio:import-paths', listener),
  openCaptionOverlay: () => ipcRenderer.invoke('studio:open-caption-overlay') as Promise<void>,
  closeCaptionOverlay: () => ipcRenderer.invoke('studio:close-caption-overlay') as Promise<void>,
};

contextBridge.exposeInMainWorld('studio', bridge);
