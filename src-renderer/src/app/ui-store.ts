import { create } from 'zustand';

/** The sections in the sidebar, in order. */
export const sections = ['library', 'live', 'queue', 'models', 'settings', 'system'] as const;
export type Section = (typeof sections)[number];

/**
 * Where the UI is: a section, the editor on one transcript (optionally at a time), or the
 * caption overlay (a window of its own that shows only the live captions).
 */
export type Route =
  { view: Section } | { view: 'editor'; transcriptId: string; atMs?: number } | { view: 'overlay' };

/** `#/library`, `#/editor/<transcriptId>?t=<ms>`, `#/overlay`: the route as the address bar shows it. */
export function routeToHash(route: Route): string {
  if (route.view !== 'editor') return `#/${route.view}`;
  const at = route.atMs === undefined ? '' : `?t=${Math.round(route.atMs)}`;
  return `#/editor/${encodeURIComponent(route.transcriptId)}${at}`;
}

/** The route a hash names; the library for anything unknown. */
export function hashToRoute(hash: string): Route {
  const match = /^#\/([a-z]+)(?:\/([^?]+))?(?:\?t=(\d+))?$/.exec(hash);
  const view = match?.[1];
  if (view === 'editor' && match?.[2]) {
    return {
      view: 'editor',
      transcriptId: decodeURIComponent(match[2]),
      ...(match[3] ? { atMs: Number(match[3]) } : {}),
    };
  }
  if (view === 'overlay') return { view: 'overlay' };
  return { view: sections.find((s) => s === view) ?? 'library' };
}

interface NavigationSlice {
  route: Route;
  /** Goes to a route (and records it in the address bar and history). */
  navigate(route: Route): void;
}

/** UI-only state. Server data lives in TanStack Query, never here. */
export const useUiStore = create<NavigationSlice>()((set) => ({
  route: typeof window === 'undefined' ? { view: 'library' } : hashToRoute(window.location.hash),
  navigate: (route) => {
    if (typeof window !== 'undefined' && window.location.hash !== routeToHash(route)) {
      window.history.pushState(null, '', routeToHash(route));
    }
    set({ route });
  },
}));
