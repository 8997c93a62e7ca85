import { useEffect, useRef } from 'react';
import { activeIn, chordOf, createMatcher, useShortcuts, type Shortcut } from './shortcuts';
import { useUiStore } from './ui-store';

/** True when the key goes into a text field, so single-key shortcuts must not steal it. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'file'].includes(target.type);
}

/** Listens on the window and runs the registered shortcut a key press (or sequence) completes. */
export function useShortcutDispatcher(): void {
  useEffect(() => {
    const matcher = createMatcher();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      // A modal dialog owns the keyboard (Esc, Tab); the page's shortcuts wait.
      if (document.querySelector('dialog[open]')) return;
      const chord = chordOf(event);
      if (!chord) return;
      const typing = isTyping(event.target);
      const view = useUiStore.getState().route.view;
      const candidates = useShortcuts
        .getState()
        .shortcuts.filter((s) => s.handler && activeIn(s, view) && (!typing || s.whileTyping));
      const { shortcut, prefix } = matcher.feed(chord, candidates, event.timeStamp);
      if (shortcut?.handler) {
        event.preventDefault();
        shortcut.handler(event);
      } else if (prefix) {
        event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

/**
 * Registers a shortcut while the calling component is mounted. The handler may change on every
 * render; the registration follows the latest one without re-registering.
 */
export function useShortcut(shortcut: Shortcut): void {
  const handler = useRef(shortcut.handler);
  useEffect(() => {
    handler.current = shortcut.handler;
  });
  const { id, keys, description, scope, whileTyping } = shortcut;
  const hasHandler = shortcut.handler !== undefined;
  useEffect(
    () =>
      useShortcuts.getState().register({
        id,
        keys,
        description,
        scope,
        whileTyping,
        handler: hasHandler ? (event) => handler.current?.(event) : undefined,
      }),
    [id, keys, description, scope, whileTyping, hasHandler],
  );
}
