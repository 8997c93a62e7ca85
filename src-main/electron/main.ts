import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../api/server';
import { createEngine, type Engine } from '../engine/create-engine';
import { defaultDataDir } from '../engine/paths';
import { forkUtilityWorkers } from './utility-workers';
import { lockDownWebContents } from './window-security';

const devRendererUrl = process.env.ELECTRON_RENDERER_URL;

let engine: Engine | undefined;
let server: RunningServer | undefined;

async function createWindow(api: RunningServer): Promise<void> {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Transcription Studio',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const pageUrl = devRendererUrl ?? `${api.url}/`;
  lockDownWebContents(window.webContents, new URL(pageUrl).origin);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(pageUrl);
}

function registerIpc(api: RunningServer, apiToken: string): void {
  ipcMain.on('studio:api-base', (event) => {
    event.returnValue = devRendererUrl ? api.url : null;
  });
  // The UI's bearer token: made per run, held in memory only, never written to disk.
  ipcMain.on('studio:api-token', (event) => {
    event.returnValue = apiToken;
  });
  ipcMain.handle('studio:open-media-dialog', async () => {
    const result = await dialog.showOpenDialog({
      properties: ['openFile', 'multiSelections'],
      filters: [
        {
          name: 'Audio and video',
          extensions: [
            'wav',
            'mp3',
            'm4a',
            'flac',
            'ogg',
            'opus',
            'aac',
            'mp4',
            'mkv',
            'mov',
            'webm',
          ],
        },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return result.canceled ? [] : result.filePaths;
  });
  ipcMain.handle('studio:save-file-dialog', async (_event, defaultName: unknown) => {
    const result = await dialog.showSaveDialog({
      defaultPath: typeof defaultName === 'string' ? defaultName : undefined,
    });
    return result.canceled ? null : (result.filePath ?? null);
  });
}

async function start(): Promise<void> {
  const root = app.getAppPath();
  engine = createEngine({
    dataDir: defaultDataDir(),
    catalogPath: join(root, 'models', 'catalog.json'),
    spawnWorker: forkUtilityWorkers(join(import.meta.dirname, 'worker.js')),
  });
  server = await startServer({
    engine,
    uiDir: join(root, 'out', 'renderer'),
    allowedOrigins: devRendererUrl ? [new URL(devRendererUrl).origin] : [],
  });
  await engine.jobs.start();
  registerIpc(server, engine.tokens.sessionToken(['admin']));
  await createWindow(server);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (server && BrowserWindow.getAllWindows().length === 0) void createWindow(server);
  });

  let shuttingDown = false;
  app.on('before-quit', (event) => {
    if (shuttingDown || !engine) return;
    // Let running work cancel and the library close before the process exits.
    event.preventDefault();
    shuttingDown = true;
    void Promise.all([server?.close(), engine.shutdown()]).finally(() => app.quit());
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('Transcription Studio could not start', (error as Error).message);
      app.exit(1);
    });
}
