/**
 * Saves the edited document in the background: `delayMs` after the last change, with the version
 * it was edited from. A save the server refuses as stale (409) turns into `conflict` and nothing
 * is saved until the person chooses (`adopt` their copy, or `overwrite` from their version):
 * an edit made elsewhere is never silently overwritten.
 */
import type { TranscriptDocument } from '../../../../src-main/contract/document';
import type { DocumentStore } from './document-store';

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'error';

export interface AutosaverOptions {
  store: DocumentStore;
  /** The server version the store's document was loaded from. */
  version: number;
  /** Saves `doc` as an edit of `version`; resolves with the new version. */
  save(doc: TranscriptDocument, version: number): Promise<{ version: number }>;
  /** True for the error `save` throws when `version` is stale (HTTP 409). */
  isConflict(error: unknown): boolean;
  onStatus(status: SaveStatus, error?: unknown): void;
  /** @default 1000 */
  delayMs?: number;
}

export interface Autosaver {
  status(): SaveStatus;
  /** Saves what is unsaved now, without waiting for the delay (e.g. when leaving). */
  flush(): Promise<void>;
  /** The store now holds the server's copy at `version` (after "load theirs"). */
  adopt(version: number): void;
  /** Saves the store's document over the server's copy at `version` ("keep mine"). */
  overwrite(version: number): Promise<void>;
  /** True while there are changes the server does not have. */
  dirty(): boolean;
  /**
   * Lets the server change the document itself (e.g. name a speaker after a remembered voice)
   * without a conflict: saves what is unsaved first, holds saves while `change` runs, and goes on
   * from the version it returns. The store takes the server's document as one undoable step
   * `label`; when there were edits meanwhile, `redo` repeats the server's change on them instead
   * and they are saved on top. Rejects, changing nothing, while there is a conflict.
   */
  serverChange(
    label: string,
    change: () => Promise<{ document: TranscriptDocument; version: number }>,
    redo: (doc: TranscriptDocument) => TranscriptDocument,
  ): Promise<void>;
  /** Starts watching the store for changes; returns the function that stops it. */
  start(): () => void;
}

export function createAutosaver(options: AutosaverOptions): Autosaver {
  const { store, delayMs = 1000 } = options;
  let version = options.version;
  let savedRevision = store.getState().revision;
  let current: SaveStatus = 'saved';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;
  /** Set while the server changes the document: saves wait. */
  let held = false;

  const setStatus = (status: SaveStatus, error?: unknown) => {
    if (status === current && error === undefined) return;
    current = status;
    options.onStatus(status, error);
  };
  const dirty = () => store.getState().revision !== savedRevision;
  const stopTimer = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const schedule = () => {
    stopTimer();
    timer = setTimeout(() => void run(), delayMs);
  };

  function run(): Promise<void> {
    stopTimer();
    if (inFlight) {
      return inFlight.then(() => (dirty() && current !== 'conflict' ? run() : undefined));
    }
    if (!dirty() || current === 'conflict' || held) return Promise.resolve();
    const { doc, revision } = store.getState();
    setStatus('saving');
    inFlight = options
      .save(doc, version)
      .then(
        (saved) => {
          version = saved.version;
          savedRevision = revision;
          if (dirty()) {
            setStatus('unsaved');
            schedule();
          } else {
            setStatus('saved');
          }
        },
        (error: unknown) => setStatus(options.isConflict(error) ? 'conflict' : 'error', error),
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  const onChange = (state: { revision: number }, previous: { revision: number }) => {
    if (state.revision === previous.revision || current === 'conflict' || held) return;
    if (current !== 'saving') setStatus('unsaved');
    schedule();
  };

  return {
    status: () => current,
    dirty,
    flush: run,
    adopt(serverVersion) {
      stopTimer();
      version = serverVersion;
      savedRevision = store.getState().revision;
      setStatus('saved');
    },
    overwrite(serverVersion) {
      version = serverVersion;
      setStatus('unsaved');
      return run();
    },
    async serverChange(label, change, redo) {
      await run();
      if (current === 'conflict') {
        throw new Error(
          'This transcript was changed elsewhere. Choose “Load theirs” or “Keep mine” first.',
        );
      }
      held = true;
      try {
        const latest = await change();
        version = latest.version;
        const state = store.getState();
        if (state.revision === savedRevision) {
          state.apply(label, () => latest.document);
          savedRevision = store.getState().revision;
        } else {
          state.apply(label, redo);
        }
      } finally {
        held = false;
        if (dirty()) {
          setStatus('unsaved');
          schedule();
        } else if (current !== 'error') {
          setStatus('saved');
        }
      }
    },
    start() {
      const unsubscribe = store.subscribe(onChange);
      return () => {
        stopTimer();
        unsubscribe();
      };
    },
  };
}
