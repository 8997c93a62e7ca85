import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The default data folder, shared by the desktop app, `serve` and the CLI so they see one
 * library. `STUDIO_DATA_DIR` overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STUDIO_DATA_DIR) return env.STUDIO_DATA_DIR;
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Transcription Studio');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Transcription Studio');
    default:
      return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'transcription-studio');
  }
}

/** Where each kind of file lives inside a data folder. */
export function dataLayout(dataDir: string) {
  return {
    database: join(dataDir, 'library.db'),
    models: join(dataDir, 'models'),
    peaks: join(dataDir, 'cache', 'peaks'),
    temp: join(dataDir, 'tmp'),
    /** Files sent to `POST /v1/media`; the library owns them and deletes them with their item. */
    uploads: join(dataDir, 'uploads'),
    /** Where export jobs write unless the settings allow other folders (`exportFolders`). */
    exports: join(dataDir, 'exports'),
  };
}
