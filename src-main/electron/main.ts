import { app, BrowserWindow, dialog, ipcMain, screen } from 'electron';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../api/server';
import { createEngine, type Engine } from '../engine/create-engine';
import { findMediaFiles, mediaExtensions } from '../engine/media/media-files';
import { defaultDataDir } from '../engine/paths';
import type { StudioCommand } from './commands';
import { createCaptionOverlay, type CaptionOverlay } from './caption-overlay';
import { installAppMenu } from './menu';
import { unpackedPath } from './packaged-paths';
import { queueBusy } from './queue-summary';
import { installQueueTray } from './tray';
import { forkUtilityWorkers } from './utility-workers';
import { loadWindowState, restoredBounds, saveWindowState } from './window-state';
import { lockDownWebContents } from './window-security';

const devRendererUrl = process.env.ELECTRON_RENDERER_URL;

let engine: Engine | undefined;
let server: RunningServer | undefined;
let studioWindow: BrowserWindow | null = null;
let captionOverlay: CaptionOverlay | undefined;

const windowStateFile = () => join(app.getPath('userData'), 'window-state.json');

const preloadPath = join(import.meta.dirname, '../preload/index.cjs');
const pageUrlOf = (api: RunningServer) => devRendererUrl ?? `${api.url}/`;

/** The studio window (not the caption overlay), or null when it is closed. */
const mainWindow = (): BrowserWindow | null =>
  studioWindow && !studioWindow.isDestroyed() ? studioWindow : null;

function showWindow(): void {
  const window = mainWindow();
  if (!window) {
    if (server) void createWindow(server);
    return;
  }
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

const sendCommand = (command: StudioCommand) =>
  mainWindow()?.webContents.send('studio:command', command);
const sendImport = (paths: string[]) => {
  if (paths.length) mainWindow()?.webContents.send('studio:import-paths', paths);
};

async function createWindow(api: RunningServer): Promise<void> {
  const saved = loadWindowState(windowStateFile());
  const window = new BrowserWindow({
    ...restoredBounds(
      saved,
      screen.getAllDisplays().map((display) => display.workArea),
    ),
    minWidth: 720,
    minHeight: 480,
    title: 'Transcription Studio',
    show: false,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  studioWindow = window;
  // The overlay belongs to the studio window: it would otherwise keep the app open alone.
  window.on('closed', () => captionOverlay?.close());
  if (saved?.maximized) window.maximize();
  // Remember where the window was; the normal bounds even while maximized.
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    void saveWindowState(windowStateFile(), { ...bounds, maximized: window.isMaximized() }).catch(
      () => undefined, // a read-only profile folder only costs the restore
    );
  });
  const pageUrl = pageUrlOf(api);
  lockDownWebContents(window.webContents, new URL(pageUrl).origin);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(pageUrl);
}

const mediaFilter = { name: 'Audio and video', extensions: [...mediaExtensions] };

async function chooseFiles(): Promise<string[]> {
  const result = await dialog.showOpenDialog({
    properties: ['openFile', 'multiSelections'],
    filters: [mediaFilter, { name: 'All files', extensions: ['*'] }],
  });
  return result.canceled ? [] : result.filePaths;
}

async function chooseFolder(): Promise<string[]> {
  const result = await dialog.showOpenDialog({ properties: ['openDirectory', 'multiSelections'] });
  return result.canceled ? [] : findMediaFiles(result.filePaths);
}

function registerIpc(api: RunningServer, apiToken: string): void {
  ipcMain.on('studio:api-base', (event) => {
    event.returnValue = devRendererUrl ? api.url : null;
  });
  // The UI's bearer token: made per run, held in memory only, never written to disk.
  ipcMain.on('studio:api-token', (event) => {
    event.returnValue = apiToken;
  });
  ipcMain.handle('studio:open-media-dialog', () => chooseFiles());
  ipcMain.handle('studio:open-folder-dialog', () => chooseFolder());
  // Dropped files and folders: folders become the media files inside them.
  ipcMain.handle('studio:expand-paths', (_event, paths: unknown) =>
    Array.isArray(paths) && paths.every((p) => typeof p === 'string')
      ? findMediaFiles(paths as string[])
      : [],
  );
  ipcMain.handle('studio:save-file-dialog', async (_event, defaultName: unknown) => {
    const result = await dialog.showSaveDialog({
      defaultPath: typeof defaultName === 'string' ? defaultName : undefined,
    });
    return result.canceled ? null : (result.filePath ?? null);
  });
  captionOverlay = createCaptionOverlay(pageUrlOf(api), preloadPath);
  ipcMain.handle('studio:open-caption-overlay', () => captionOverlay?.open());
  ipcMain.handle('studio:close-caption-overlay', () => captionOverlay?.close());
}

async function start(): Promise<void> {
  const root = app.getAppPath();
  // Beside a running `serve` on the same folder this throws ENGINE_BUSY naming it (pid, port):
  // the error box below shows that message. It logs to <data folder>/logs/engine.log (the
  // default logger), shown in Settings; the app's own crashes are added below.
  engine = createEngine({
    owner: 'desktop app',
    dataDir: defaultDataDir(),
    catalogPath: join(root, 'models', 'catalog.json'),
    // In the installed app the workers run from app.asar.unpacked (build/electron-builder.yml).
    spawnWorker: forkUtilityWorkers(unpackedPath(join(import.meta.dirname, 'worker.js'))),
    spawnDiarizationWorker: forkUtilityWorkers(
      unpackedPath(join(import.meta.dirname, 'diarization-worker.js')),
      'Speaker diarization worker',
    ),
  });
  server = await startServer({
    engine,
    uiDir: join(root, 'out', 'renderer'),
    allowedOrigins: devRendererUrl ? [new URL(devRendererUrl).origin] : [],
  });
  engine.folderLock?.update({ port: server.port, url: server.url });
  await engine.jobs.start();
  registerIpc(server, engine.tokens.sessionToken(['admin']));
  installAppMenu(
    {
      command: sendCommand,
      importFiles: () => void chooseFiles().then(sendImport),
      importFolder: () => void chooseFolder().then(sendImport),
    },
    devRendererUrl !== undefined,
  );
  installQueueTray(engine.jobs, {
    show: showWindow,
    showQueue: () => {
      showWindow();
      sendCommand('go:queue');
    },
    quit: () => app.quit(),
  });
  await createWindow(server);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('window-all-closed', () => {
    // Jobs still running or waiting keep the studio alive in the tray until they are done.
    const busy = engine ? queueBusy(engine.jobs.counts()) : false;
    if (process.platform !== 'darwin' && !busy) app.quit();
  });
  app.on('activate', () => {
    if (server && !mainWindow()) void createWindow(server);
  });
  // A window's renderer or a helper process of Electron's that dies goes into the engine log
  // (worker processes are logged by the engine itself).
  app.on('render-process-gone', (_event, _contents, { reason, exitCode }) => {
    if (reason !== 'clean-exit') engine?.log.error({ reason, exitCode }, 'window renderer gone');
  });
  app.on('child-process-gone', (_event, { type, reason, exitCode, name }) => {
    if (type !== 'Utility' && reason !== 'clean-exit') {
      engine?.log.error({ type, name, reason, exitCode }, 'app process gone');
    }
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
