// @vitest-environment jsdom
import { cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useShortcuts } from './shortcuts';
import { useUiStore } from './ui-store';
import { useShortcut, useShortcutDispatcher } from './use-shortcuts';

function Harness({ onQueue, onUndo }: { onQueue(): void; onUndo(): void }) {
  useShortcutDispatcher();
  useShortcut({ id: 'go', keys: 'g q', description: 'Go', scope: 'global', handler: onQueue });
  useShortcut({
    id: 'undo',
    keys: 'Mod+z',
    description: 'Undo',
    scope: 'editor',
    handler: onUndo,
    whileTyping: true,
  });
  return <input aria-label="Text" />;
}

afterEach(() => {
  cleanup();
  useShortcuts.setState({ shortcuts: [] });
  useUiStore.setState({ route: { view: 'library' } });
});

describe('useShortcutDispatcher', () => {
  it('runs a sequence typed on the page, but not one typed into a text field', () => {
    const onQueue = vi.fn();
    const { getByLabelText } = render(<Harness onQueue={onQueue} onUndo={vi.fn()} />);
    fireEvent.keyDown(window, { key: 'g' });
    fireEvent.keyDown(window, { key: 'q' });
    expect(onQueue).toHaveBeenCalledTimes(1);
    const input = getByLabelText('Text');
    fireEvent.keyDown(input, { key: 'g' });
    fireEvent.keyDown(input, { key: 'q' });
    expect(onQueue).toHaveBeenCalledTimes(1);
  });

  it('runs a scoped shortcut only in its view, also while typing when it says so', () => {
    const onUndo = vi.fn();
    const { getByLabelText } = render(<Harness onQueue={vi.fn()} onUndo={onUndo} />);
    fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    expect(onUndo).not.toHaveBeenCalled();
    useUiStore.setState({ route: { view: 'editor', transcriptId: 't' } });
    fireEvent.keyDown(getByLabelText('Text'), { key: 'z', ctrlKey: true });
    expect(onUndo).toHaveBeenCalledTimes(1);
  });

  it('lists registrations while mounted and drops them on unmount', () => {
    const view = render(<Harness onQueue={vi.fn()} onUndo={vi.fn()} />);
    expect(useShortcuts.getState().shortcuts.map((s) => s.id)).toEqual(['go', 'undo']);
    view.unmount();
    expect(useShortcuts.getState().shortcuts).toEqual([]);
  });
});
