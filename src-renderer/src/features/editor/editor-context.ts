import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Autosaver } from './autosave';
import type { DocumentState, DocumentStore } from './document-store';
import type { Player } from './player';

/** What every part of an open editor shares; all of it stays the same object while it is open. */
export interface EditorContextValue {
  transcriptId: string;
  mediaId: string;
  store: DocumentStore;
  autosaver: Autosaver;
  player: Player;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditor(): EditorContextValue {
  const value = useContext(EditorContext);
  if (!value) throw new Error('useEditor needs an EditorContext');
  return value;
}

/** Reads from the open document with a selector (re-renders when the selected value changes). */
export function useDoc<T>(selector: (state: DocumentState) => T): T {
  return useStore(useEditor().store, selector);
}
