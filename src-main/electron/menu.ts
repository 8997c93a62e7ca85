import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { StudioCommand } from './commands';

export interface MenuActions {
  /** Sends a command to the focused window's renderer. */
  command(command: StudioCommand): void;
  importFiles(): void;
  importFolder(): void;
}

/** The application menu. Editing commands go to the renderer, which knows what has focus. */
export function installAppMenu(actions: MenuActions, isDev: boolean): void {
  const send = (command: StudioCommand) => () => actions.command(command);
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Import Media…', accelerator: 'CmdOrCtrl+O', click: actions.importFiles },
        { label: 'Import Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: actions.importFolder },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: send('undo') },
        {
          label: 'Redo',
          accelerator: process.platform === 'darwin' ? 'Cmd+Shift+Z' : 'Ctrl+Y',
          click: send('redo'),
        },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        { label: 'Find and Replace…', accelerator: 'CmdOrCtrl+F', click: send('find') },
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Library', accelerator: 'CmdOrCtrl+1', click: send('go:library') },
        { label: 'Live', accelerator: 'CmdOrCtrl+2', click: send('go:live') },
        { label: 'Queue', accelerator: 'CmdOrCtrl+3', click: send('go:queue') },
        { label: 'Models', accelerator: 'CmdOrCtrl+4', click: send('go:models') },
        { label: 'Settings', accelerator: 'CmdOrCtrl+5', click: send('go:settings') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(isDev ? [{ type: 'separator' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Keyboard Shortcuts', click: send('shortcuts') }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
