/** Voice suggestions the person answered "Not them" to; hidden until the page reloads. */
import { create } from 'zustand';

interface DismissedSuggestions {
  keys: ReadonlySet<string>;
  dismiss(key: string): void;
}

export const suggestionKey = (transcriptId: string, speakerId: string, voiceId: string) =>
  JSON.stringify([transcriptId, speakerId, voiceId]);

export const useDismissedSuggestions = create<DismissedSuggestions>()((set, get) => ({
  keys: new Set(),
  dismiss: (key) => set({ keys: new Set(get().keys).add(key) }),
}));
