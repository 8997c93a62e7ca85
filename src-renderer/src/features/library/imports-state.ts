/** One file being imported (uploaded or added by path) and what became of it. */
export interface ImportEntry {
  key: string;
  name: string;
  /** uploading: bytes flow; checking: the engine probes it; added; failed. */
  state: 'uploading' | 'checking' | 'added' | 'failed';
  loaded: number;
  total: number;
  mediaId: string | null;
  error: string | null;
  /** Whether a transcription was asked for after the import. */
  transcribe: 'none' | 'starting' | 'started';
}

export type ImportAction =
  | { type: 'start'; key: string; name: string; total: number; upload: boolean }
  | { type: 'progress'; key: string; loaded: number; total: number }
  | { type: 'added'; key: string; mediaId: string; name: string }
  | { type: 'failed'; key: string; error: string }
  | { type: 'transcribe'; key: string; transcribe: ImportEntry['transcribe'] }
  | { type: 'dismiss'; key: string }
  | { type: 'clear-finished' };

const update = (
  entries: ImportEntry[],
  key: string,
  change: (entry: ImportEntry) => ImportEntry,
): ImportEntry[] => entries.map((e) => (e.key === key ? change(e) : e));

/** The import list's reducer: newest import first. */
export function importsReducer(entries: ImportEntry[], action: ImportAction): ImportEntry[] {
  switch (action.type) {
    case 'start':
      return [
        {
          key: action.key,
          name: action.name,
          state: action.upload ? 'uploading' : 'checking',
          loaded: 0,
          total: action.total,
          mediaId: null,
          error: null,
          transcribe: 'none',
        },
        ...entries.filter((e) => e.key !== action.key),
      ];
    case 'progress':
      return update(entries, action.key, (e) => ({
        ...e,
        loaded: action.loaded,
        total: action.total || e.total,
        state: action.total > 0 && action.loaded >= action.total ? 'checking' : e.state,
      }));
    case 'added':
      return update(entries, action.key, (e) => ({
        ...e,
        state: 'added',
        loaded: e.total,
        mediaId: action.mediaId,
        name: action.name,
      }));
    case 'failed':
      return update(entries, action.key, (e) => ({ ...e, state: 'failed', error: action.error }));
    case 'transcribe':
      return update(entries, action.key, (e) => ({ ...e, transcribe: action.transcribe }));
    case 'dismiss':
      return entries.filter((e) => e.key !== action.key);
    case 'clear-finished':
      return entries.filter((e) => e.state === 'uploading' || e.state === 'checking');
  }
}

/** Upload progress in whole percent; null while the size is unknown or the engine probes. */
export function importPercent(entry: ImportEntry): number | null {
  if (entry.state === 'added') return 100;
  if (entry.state === 'checking') return null;
  if (entry.total <= 0) return null;
  return Math.min(100, Math.floor((entry.loaded / entry.total) * 100));
}
