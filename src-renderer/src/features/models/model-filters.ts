import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { modelKind } from '../../../../src-main/contract/models';

export const kindFilters = ['all', ...modelKind.options] as const;
export type KindFilter = (typeof kindFilters)[number];

interface ModelFilters {
  kind: KindFilter;
  installedOnly: boolean;
  setKind(kind: KindFilter): void;
  setInstalledOnly(installedOnly: boolean): void;
}

/**
 * The Models view's filters. They outlive the view (leaving Models and coming back keeps them)
 * and, in sessionStorage, a reload of the tab.
 */
export const useModelFilters = create<ModelFilters>()(
  persist(
    (set) => ({
      kind: 'all',
      installedOnly: false,
      setKind: (kind) => set({ kind }),
      setInstalledOnly: (installedOnly) => set({ installedOnly }),
    }),
    {
      name: 'studio.models.filters',
      storage: createJSONStorage(() => sessionStorage),
      partialize: ({ kind, installedOnly }) => ({ kind, installedOnly }),
      // What sessionStorage holds is whatever was written there: keep only values that still fit.
      merge: (stored, current) => {
        const saved = typeof stored === 'object' && stored !== null ? stored : {};
        const kind = 'kind' in saved ? saved.kind : undefined;
        const installedOnly = 'installedOnly' in saved ? saved.installedOnly : undefined;
        return {
          ...current,
          kind: kindFilters.find((k) => k === kind) ?? current.kind,
          installedOnly: typeof installedOnly === 'boolean' ? installedOnly : current.installedOnly,
        };
      },
    },
  ),
);
