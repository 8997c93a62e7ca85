/**
 * The editor's UI state (never server data): the playhead, the selected and edited word, which
 * panels are open, and the find bar's matches. One editor is open at a time; `reset` on opening.
 */
import { create } from 'zustand';

interface EditorUiState {
  /** Playhead position. */
  currentMs: number;
  playing: boolean;
  /** The word being spoken at the playhead, if any. */
  activeWordId: string | null;
  selectedWordId: string | null;
  /** Increases when the selected word should take the keyboard focus. */
  focusRequest: number;
  editingWordId: string | null;
  findOpen: boolean;
  exportOpen: boolean;
  speakersOpen: boolean;
  /** Scroll the transcript along with the playhead while playing. */
  follow: boolean;
  /** Words with a find match, and the word of the current match. */
  matchWordIds: ReadonlySet<string>;
  currentMatchWordId: string | null;
  /** The segment whose speaker dialog is open. */
  speakerSegmentId: string | null;
  setPlayhead(ms: number, activeWordId: string | null): void;
  setPlaying(playing: boolean): void;
  select(wordId: string | null, focus?: boolean): void;
  edit(wordId: string | null): void;
  set(patch: Partial<Omit<EditorUiState, 'set' | 'reset'>>): void;
  reset(): void;
}

const initial = {
  currentMs: 0,
  playing: false,
  activeWordId: null,
  selectedWordId: null,
  focusRequest: 0,
  editingWordId: null,
  findOpen: false,
  exportOpen: false,
  speakersOpen: false,
  follow: true,
  matchWordIds: new Set<string>(),
  currentMatchWordId: null,
  speakerSegmentId: null,
};

export const useEditorUi = create<EditorUiState>()((set, get) => ({
  ...initial,
  setPlayhead: (currentMs, activeWordId) => {
    if (get().currentMs !== currentMs || get().activeWordId !== activeWordId) {
      set({ currentMs, activeWordId });
    }
  },
  setPlaying: (playing) => set({ playing }),
  select: (selectedWordId, focus = false) =>
    set({ selectedWordId, focusRequest: focus ? get().focusRequest + 1 : get().focusRequest }),
  edit: (editingWordId) =>
    set(editingWordId ? { editingWordId, selectedWordId: editingWordId } : { editingWordId }),
  set: (patch) => set(patch),
  reset: () => set({ ...initial, matchWordIds: new Set() }),
}));
