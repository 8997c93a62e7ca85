import { useEffect, useRef } from 'react';
import { sections, useUiStore } from './ui-store';

/**
 * Follows the Electron menu and tray (`window.studio.onCommand`): `go:<section>` navigates and
 * `shortcuts` opens the cheat sheet. Other commands (undo, find, …) belong to the views.
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
      }),
    [],
  );
}
