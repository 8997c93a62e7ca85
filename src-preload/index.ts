import { contextBridge, ipcRenderer } from 'electron';
import type { StudioBridge } from './studio-bridge';

/** The only channels the renderer may reach, each with a fixed shape. */
const bridge: StudioBridge = {
  platform: process.platform,
  // Only set in development, where the page comes from Vite instead of the engine.
  apiBase: (ipcRenderer.sendSync('studio:api-base') as string | null) ?? undefined,
  apiToken: (ipcRenderer.sendSync('studio:api-token') as string | null) ?? undefined,
  openMediaDialog: () => ipcRenderer.invoke('studio:open-media-dialog') as Promise<string[]>,
  saveFileDialog: (defaultName: string) =>
    ipcRenderer.invoke('studio:save-file-dialog', defaultName) as Promise<string | null>,
};

contextBridge.exposeInMainWorld('studio', bridge);
