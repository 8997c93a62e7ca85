import { create } from 'zustand';

export const views = ['models', 'system'] as const;
export type View = (typeof views)[number];

interface NavigationSlice {
  view: View;
  setView(view: View): void;
}

/** UI-only state. Server data lives in TanStack Query, never here. */
export const useUiStore = create<NavigationSlice>()((set) => ({
  view: 'models',
  setView: (view) => set({ view }),
}));
