import { useEffect } from 'react';
import { create } from 'zustand';
import { writeStored } from '../library/use-stored-state';

export type OverlayPosition = 'top' | 'bottom';

/** Caption text sizes the overlay offers, in CSS px. */
export const overlayFont = { min: 24, max: 120, step: 8, initial: 48 } as const;

const keys = { fontSize: 'studio.overlay.fontSize', position: 'studio.overlay.position' };

/** A font size within the offered range, on its steps' grid; the initial size for nonsense. */
export function clampFontSize(value: number): number {
  if (!Number.isFinite(value)) return overlayFont.initial;
  const stepped = Math.round(value / overlayFont.step) * overlayFont.step;
  return Math.min(overlayFont.max, Math.max(overlayFont.min, stepped));
}

export interface OverlayPrefs {
  fontSize: number;
  position: OverlayPosition;
}

/** The remembered overlay look (localStorage), or the defaults. */
export function readOverlayPrefs(storage: Pick<Storage, 'getItem'> | undefined): OverlayPrefs {
  let fontSize: string | null = null;
  let position: string | null = null;
  try {
    fontSize = storage?.getItem(keys.fontSize) ?? null;
    position = storage?.getItem(keys.position) ?? null;
  } catch {
    // Storage disabled: the defaults.
  }
  return {
    fontSize: fontSize === null ? overlayFont.initial : clampFontSize(Number(fontSize)),
    position: position === 'top' ? 'top' : 'bottom',
  };
}

interface OverlayPrefsSlice extends OverlayPrefs {
  setFontSize(size: number): void;
  setPosition(position: OverlayPosition): void;
}

/**
 * How every caption overlay looks. Changes are remembered, and overlays in other windows follow
 * them through the `storage` event (see `useOverlayPrefsSync`).
 */
export const useOverlayPrefs = create<OverlayPrefsSlice>()((set) => ({
  ...readOverlayPrefs(typeof window === 'undefined' ? undefined : window.localStorage),
  setFontSize: (size) => {
    const fontSize = clampFontSize(size);
    writeStored(keys.fontSize, String(fontSize));
    set({ fontSize });
  },
  setPosition: (position) => {
    writeStored(keys.position, position);
    set({ position });
  },
}));

/** Applies overlay changes made in another window of the studio to this one. */
export function useOverlayPrefsSync(): void {
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === keys.fontSize || event.key === keys.position || event.key === null) {
        useOverlayPrefs.setState(readOverlayPrefs(window.localStorage));
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
}
