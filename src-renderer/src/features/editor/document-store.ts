/**
 * The document being edited, with unlimited undo and redo. Every edit is one undoable step;
 * `revision` counts changes (edits, undos, redos) so autosave can tell what it has saved.
 * One store per open transcript (`createDocumentStore`), so nothing leaks between transcripts.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TranscriptDocument } from '../../../../src-main/contract/document';

interface Step {
  doc: TranscriptDocument;
  /** What the step did, e.g. "Edit word" (shown as "Undo Edit word"). */
  label: string;
}

export interface DocumentState {
  doc: TranscriptDocument;
  past: Step[];
  future: Step[];
  /** Increases with every change to `doc`. */
  revision: number;
  /**
   * Applies an edit as one undoable step. Returns false (and records nothing) when the edit
   * left the document as it was. Errors thrown by the edit propagate and change nothing.
   */
  apply(label: string, edit: (doc: TranscriptDocument) => TranscriptDocument): boolean;
  undo(): void;
  redo(): void;
  /** Replaces the document (e.g. with the server's copy) and forgets the history. */
  reset(doc: TranscriptDocument): void;
}

export type DocumentStore = StoreApi<DocumentState>;

export function createDocumentStore(initial: TranscriptDocument): DocumentStore {
  return createStore<DocumentState>()((set, get) => ({
    doc: initial,
    past: [],
    future: [],
    revision: 0,
    apply(label, edit) {
      const { doc, past, revision } = get();
      const next = edit(doc);
      if (next === doc) return false;
      set({ doc: next, past: [...past, { doc, label }], future: [], revision: revision + 1 });
      return true;
    },
    undo() {
      const { doc, past, future, revision } = get();
      const step = past.at(-1);
      if (!step) return;
      set({
        doc: step.doc,
        past: past.slice(0, -1),
        future: [{ doc, label: step.label }, ...future],
        revision: revision + 1,
      });
    },
    redo() {
      const { doc, past, future, revision } = get();
      const step = future[0];
      if (!step) return;
      set({
        doc: step.doc,
        past: [...past, { doc, label: step.label }],
        future: future.slice(1),
        revision: revision + 1,
      });
    },
    reset(doc) {
      set({ doc, past: [], future: [], revision: get().revision + 1 });
    },
  }));
}
