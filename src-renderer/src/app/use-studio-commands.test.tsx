// @vitest-environment jsdom
import { cleanup, render, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useShortcuts } from './shortcuts';
import { useUiStore } from './ui-store';
import { useStudioCommands } from './use-studio-commands';

let send: (command: string) => void = () => {};

beforeEach(() => {
  window.studio = {
    onCommand: (listener: (command: string) => void) => {
      send = listener;
      return () => {};
    },
  } as unknown as NonNullable<typeof window.studio>;
});
afterEach(() => {
  cleanup();
  delete window.studio;
  useShortcuts.setState({ shortcuts: [] });
});

describe('Electron menu commands', () => {
  it('navigate, open the cheat sheet and run the shortcut of the view on screen', () => {
    const showShortcuts = vi.fn();
    const undo = vi.fn();
    const libraryUndo = vi.fn();
    useShortcuts.getState().register({
      id: 'editor-undo',
      keys: 'Mod+z',
      description: 'Undo',
      scope: 'editor',
      handler: undo,
    });
    useShortcuts.getState().register({
      id: 'other-undo',
      keys: 'Mod+z',
      description: 'Undo elsewhere',
      scope: 'library',
      handler: libraryUndo,
    });
    renderHook(() => useStudioCommands(showShortcuts));

    send('go:queue');
    expect(useUiStore.getState().route).toEqual({ view: 'queue' });
    send('shortcuts');
    expect(showShortcuts).toHaveBeenCalledTimes(1);

    useUiStore.getState().navigate({ view: 'editor', transcriptId: 't1' });
    send('undo');
    expect(undo).toHaveBeenCalledTimes(1);
    expect(libraryUndo).not.toHaveBeenCalled();
  });

  it("leaves undo in a text field to the field's own history", () => {
    const undo = vi.fn();
    const execCommand = vi.fn(() => true);
    document.execCommand = execCommand;
    useShortcuts.getState().register({
      id: 'editor-undo',
      keys: 'Mod+z',
      description: 'Undo',
      scope: 'editor',
      handler: undo,
    });
    useUiStore.getState().navigate({ view: 'editor', transcriptId: 't1' });
    renderHook(() => useStudioCommands(() => {}));
    const { getByLabelText } = render(<input aria-label="Word" />);
    getByLabelText('Word').focus();
    send('undo');
    expect(execCommand).toHaveBeenCalledWith('undo');
    expect(undo).not.toHaveBeenCalled();
  });
});
