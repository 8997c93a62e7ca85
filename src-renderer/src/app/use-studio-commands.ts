import { useEffect, useRef } from 'react';
import { activeIn, normalizeKeys, useShortcuts } from './shortcuts';
import { sections, useUiStore } from './ui-store';

/** Menu commands that stand for a keyboard shortcut of the view on screen. */
const commandKeys: Record<string, string> = { undo: 'Mod+z', redo: 'Mod+Shift+z', find: 'Mod+f' };

const typingIn = (element: Element | null): boolean =>
  element instanceof HTMLInputElement ||
  element instanceof HTMLTextAreaElement ||
  (element instanceof HTMLElement && element.isContentEditable);

/** Runs the shortcut registered for `keys` in the current view, as if its keys were pressed. */
function runShortcut(keys: string): void {
  const wanted = normalizeKeys(keys).join(' ');
  const { view } = useUiStore.getState().route;
  const shortcut = useShortcuts
    .getState()
    .shortcuts.find(
      (s) => s.handler && activeIn(s, view) && normalizeKeys(s.keys).join(' ') === wanted,
    );
  shortcut?.handler?.(new KeyboardEvent('keydown'));
}

/**
 * Follows the Electron menu and tray (`window.studio.onCommand`): `go:<section>` navigates,
 * `shortcuts` opens the cheat sheet, and undo / redo / find act on what has focus: a text field
 * undoes its own typing, anything else gets the view's shortcut (the editor's undo, say). The
 * menu takes these keys before the page sees them, so this is their only way in under Electron.
 * Nothing happens in a plain browser.
 */
export function useStudioCommands(onShowShortcuts: () => void): void {
  const show = useRef(onShowShortcuts);
  useEffect(() => {
    show.current = onShowShortcuts;
  });
  useEffect(
    () =>
      window.studio?.onCommand((command) => {
        if (command === 'shortcuts') show.current();
        const section = sections.find((s) => command === `go:${s}`);
        if (section) useUiStore.getState().navigate({ view: section });
        const keys = commandKeys[command];
        if (!keys) return;
        if ((command === 'undo' || command === 'redo') && typingIn(document.activeElement)) {
          // execCommand is deprecated but still the only way to reach a field's own undo stack.
          document.execCommand(command);
        } else {
          runShortcut(keys);
        }
      }),
    [],
  );
}
