import type { QueryClient } from '@tanstack/react-query';
import { create } from 'zustand';
import { ApiError } from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import { toastError, useToasts } from '../../app/toasts';
import { fromSpeakerForm } from '../speakers/speaker-options';
import { importsReducer, type ImportAction, type ImportEntry } from './imports-state';
import { addMediaByPath, startTranscription, uploadMedia, type LibraryItem } from './queries';
import { useSpeakersChoice } from './speakers-choice';
import { readStored } from './use-stored-state';

/** Where the "transcribe automatically after import" choice is remembered. */
export const autoTranscribeKey = 'studio.library.autoTranscribe';
export const autoTranscribeChoices = ['on', 'off'] as const;

interface ImportsSlice {
  entries: ImportEntry[];
  dispatch(action: ImportAction): void;
}

/**
 * The imports of this session. Kept outside the Library view so an upload goes on (and its row
 * stays) while the user looks at another section.
 */
export const useImports = create<ImportsSlice>()((set, get) => ({
  entries: [],
  dispatch: (action) => set({ entries: importsReducer(get().entries, action) }),
}));

const dispatch = (action: ImportAction) => useImports.getState().dispatch(action);
const uploads = new Map<string, AbortController>();
let nextKey = 1;

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

const refresh = (client: QueryClient) => {
  void client.invalidateQueries({ queryKey: queryKeys.media.all });
  void client.invalidateQueries({ queryKey: queryKeys.jobs.all });
};

/**
 * Queues a transcription of `item` (with the default settings and the library's speakers choice)
 * and says so in a toast; `key` is its row in the import list, if it has one.
 */
export async function transcribeItem(
  client: QueryClient,
  item: Pick<LibraryItem, 'id' | 'name'>,
  key?: string,
): Promise<void> {
  const speakers = fromSpeakerForm(useSpeakersChoice.getState().values);
  if (!speakers.ok) {
    toastError(new Error(`${item.name} was not transcribed. Speakers: ${speakers.error}`));
    return;
  }
  if (key) dispatch({ type: 'transcribe', key, transcribe: 'starting' });
  try {
    const job = await startTranscription(item.id, speakers.value);
    if (key) dispatch({ type: 'transcribe', key, transcribe: 'started', jobId: job.id });
    useToasts.getState().show('info', `Transcribing ${item.name}…`);
  } catch (error) {
    if (key) dispatch({ type: 'transcribe', key, transcribe: 'none' });
    toastError(error);
  } finally {
    refresh(client);
  }
}

async function finish(client: QueryClient, key: string, adding: Promise<LibraryItem>) {
  try {
    const item = await adding;
    dispatch({ type: 'added', key, mediaId: item.id, name: item.name });
    refresh(client);
    if (readStored(autoTranscribeKey, autoTranscribeChoices, 'off') === 'on') {
      await transcribeItem(client, item, key);
    }
  } catch (error) {
    if (isAbort(error)) {
      dispatch({ type: 'dismiss', key });
      return;
    }
    dispatch({
      type: 'failed',
      key,
      error: error instanceof Error ? error.message : String(error),
      // The engine refused the file (not media, too long…), as opposed to a lost connection.
      rejected: error instanceof ApiError && error.status >= 400 && error.status < 500,
    });
    toastError(error);
  } finally {
    uploads.delete(key);
  }
}

/**
 * Imports files into the library, each with its own progress row. In the desktop app a file on
 * disk is added where it is (no copy); in a browser it is uploaded.
 */
export function importFiles(client: QueryClient, files: Iterable<File>): void {
  for (const file of files) {
    const onDisk = window.studio?.pathForFile(file);
    if (onDisk) {
      importPath(client, onDisk);
      continue;
    }
    const key = `upload-${nextKey++}`;
    const controller = new AbortController();
    uploads.set(key, controller);
    dispatch({ type: 'start', key, name: file.name, total: file.size, upload: true });
    const upload = uploadMedia(
      file,
      ({ loadedBytes, totalBytes }) =>
        dispatch({ type: 'progress', key, loaded: loadedBytes, total: totalBytes ?? file.size }),
      controller.signal,
    );
    void finish(client, key, upload);
  }
}

/** Adds a file that is already on the engine's machine. */
export function importPath(client: QueryClient, path: string): void {
  const key = `path-${nextKey++}`;
  dispatch({ type: 'start', key, name: path, total: 0, upload: false });
  void finish(client, key, addMediaByPath(path));
}

/** Stops an upload in flight; its row goes away. */
export const cancelUpload = (key: string) => uploads.get(key)?.abort();
