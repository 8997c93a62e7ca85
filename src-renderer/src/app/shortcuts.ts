import { create } from 'zustand';
import type { Route } from './ui-store';

/** Where a shortcut works: everywhere, or only while one view (a section or the editor) shows. */
export type ShortcutScope = 'global' | Route['view'];

/**
 * One keyboard shortcut. `keys` is a chord or a sequence of chords separated by spaces:
 * `g q` (g then q), `Mod+1` (Ctrl, or ⌘ on macOS), `Shift+Enter`, `?`. A printable key is
 * written as the character it types (`?`, `G`), so Shift is implied by it.
 */
export interface Shortcut {
  /** Unique; registering the same id again replaces the earlier entry. */
  id: string;
  keys: string;
  /** What it does, as the cheat sheet lists it. */
  description: string;
  scope: ShortcutScope;
  /**
   * Runs on the keys. Omit it for a shortcut a component handles itself (e.g. in a focused
   * editor), so the cheat sheet still lists it.
   */
  handler?: (event: KeyboardEvent) => void;
  /** Also fire while a text field has focus (useful for Mod+ chords). @default false */
  whileTyping?: boolean;
}

interface ShortcutRegistry {
  shortcuts: Shortcut[];
  /** Adds (or replaces by id) a shortcut; returns the function that removes it. */
  register(shortcut: Shortcut): () => void;
}

/** The shortcuts every feature registered; the shell dispatches them and lists them in `?`. */
export const useShortcuts = create<ShortcutRegistry>()((set, get) => ({
  shortcuts: [],
  register: (shortcut) => {
    set({ shortcuts: [...get().shortcuts.filter((s) => s.id !== shortcut.id), shortcut] });
    return () => {
      if (get().shortcuts.includes(shortcut)) {
        set({ shortcuts: get().shortcuts.filter((s) => s !== shortcut) });
      }
    };
  },
}));

/** The subset of a KeyboardEvent that decides which chord it is. */
export type KeyPress = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

const modifierKeys = new Set(['Control', 'Meta', 'Alt', 'Shift', 'AltGraph', 'CapsLock']);

/** The chord a key press is (`Mod+Shift+z`, `?`, `Escape`), or null for a lone modifier. */
export function chordOf(press: KeyPress): string | null {
  if (modifierKeys.has(press.key)) return null;
  const printable = press.key.length === 1;
  const key = printable && (press.ctrlKey || press.metaKey) ? press.key.toLowerCase() : press.key;
  const parts = [
    press.ctrlKey || press.metaKey ? 'Mod' : null,
    press.altKey ? 'Alt' : null,
    press.shiftKey && (!printable || press.ctrlKey || press.metaKey) ? 'Shift' : null,
    key === ' ' ? 'Space' : key,
  ];
  return parts.filter((p) => p !== null).join('+');
}

/** A shortcut's keys in canonical form (`mod+Z` → `Mod+z`), chords split on spaces. */
export function normalizeKeys(keys: string): string[] {
  return keys
    .trim()
    .split(/\s+/)
    .map((chord) => {
      const parts = chord.split('+');
      const key = parts.pop() ?? '';
      const mods = new Set(parts.map((p) => p.toLowerCase()));
      const hasMod = mods.has('mod') || mods.has('ctrl') || mods.has('cmd') || mods.has('meta');
      return [
        hasMod ? 'Mod' : null,
        mods.has('alt') ? 'Alt' : null,
        mods.has('shift') ? 'Shift' : null,
        hasMod && key.length === 1 ? key.toLowerCase() : key,
      ]
        .filter((p) => p !== null)
        .join('+');
    });
}

/** The keys as a person reads them on this platform: `Mod+1` → `Ctrl+1` or `⌘1`. */
export function formatChord(chord: string, mac: boolean): string {
  return chord.replace(/^Mod\+/, mac ? '⌘' : 'Ctrl+');
}

/** How long the next chord of a sequence (`g` … `q`) may take. */
export const sequenceTimeoutMs = 1200;

/**
 * Matches chords against shortcuts, keeping the pending prefix of a sequence. Pure: the caller
 * supplies the chords, the active shortcuts and the time.
 */
export function createMatcher() {
  let pending: string[] = [];
  let lastAt = 0;
  return {
    /**
     * The shortcut `chord` completes, if any. `prefix` is true when it starts (or continues) a
     * sequence, so the caller should swallow the key.
     */
    feed(chord: string, shortcuts: readonly Shortcut[], now: number) {
      if (now - lastAt > sequenceTimeoutMs) pending = [];
      lastAt = now;
      for (const candidate of [[...pending, chord], [chord]]) {
        const joined = candidate.join(' ');
        const done = shortcuts.find((s) => normalizeKeys(s.keys).join(' ') === joined);
        if (done) {
          pending = [];
          return { shortcut: done, prefix: false };
        }
        const starts = shortcuts.some((s) =>
          normalizeKeys(s.keys).join(' ').startsWith(`${joined} `),
        );
        if (starts) {
          pending = candidate;
          return { shortcut: null, prefix: true };
        }
      }
      pending = [];
      return { shortcut: null, prefix: false };
    },
    reset() {
      pending = [];
    },
  };
}

/** True when `shortcut` applies in `view`. */
export const activeIn = (shortcut: Shortcut, view: Route['view']) =>
  shortcut.scope === 'global' || shortcut.scope === view;
