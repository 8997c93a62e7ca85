import { useShortcut } from '../../app/use-shortcuts';
import { locateWord, mergeWithNext, splitSegment } from './doc-ops';
import { applyEdit } from './edit-actions';
import { useEditor } from './editor-context';
import { useEditorUi } from './editor-ui';

/** The editor's keyboard shortcuts, registered with the shell (and listed in its cheat sheet). */
export function useEditorShortcuts(): void {
  const { store, player, autosaver } = useEditor();
  const selected = () => useEditorUi.getState().selectedWordId;

  useShortcut({
    id: 'editor.undo',
    keys: 'Mod+z',
    description: 'Undo',
    scope: 'editor',
    handler: () => store.getState().undo(),
  });
  useShortcut({
    id: 'editor.redo',
    keys: 'Mod+Shift+z',
    description: 'Redo',
    scope: 'editor',
    handler: () => store.getState().redo(),
  });
  useShortcut({
    id: 'editor.redo-y',
    keys: 'Mod+y',
    description: 'Redo',
    scope: 'editor',
    handler: () => store.getState().redo(),
  });
  useShortcut({
    id: 'editor.play',
    keys: 'Space',
    description: 'Play or pause',
    scope: 'editor',
    handler: () => player.toggle(),
  });
  useShortcut({
    id: 'editor.find',
    keys: 'Mod+f',
    description: 'Find and replace',
    scope: 'editor',
    whileTyping: true,
    handler: () => {
      useEditorUi.getState().set({ findOpen: true });
      document.getElementById('editor-find-input')?.focus();
    },
  });
  useShortcut({
    id: 'editor.save',
    keys: 'Mod+s',
    description: 'Save now (changes also save by themselves)',
    scope: 'editor',
    whileTyping: true,
    handler: () => void autosaver.flush(),
  });
  useShortcut({
    id: 'editor.export',
    keys: 'Mod+e',
    description: 'Export…',
    scope: 'editor',
    handler: () => useEditorUi.getState().set({ exportOpen: true }),
  });
  useShortcut({
    id: 'editor.split',
    keys: 'Shift+Enter',
    description: 'Split the segment before the selected word',
    scope: 'editor',
    handler: () => {
      const wordId = selected();
      if (wordId) applyEdit(store, 'Split segment', (doc) => splitSegment(doc, wordId));
    },
  });
  useShortcut({
    id: 'editor.merge',
    keys: 'Mod+j',
    description: 'Merge the selected word’s segment with the next',
    scope: 'editor',
    handler: () => {
      const wordId = selected();
      if (!wordId) return;
      applyEdit(store, 'Merge segments', (doc) =>
        mergeWithNext(doc, doc.segments[locateWord(doc, wordId).s]!.id),
      );
    },
  });
  // Handled by the focused word itself; listed here for the cheat sheet.
  useShortcut({
    id: 'editor.edit-word',
    keys: 'Enter',
    description: 'Edit the selected word (Enter saves, Esc cancels, Tab goes to the next)',
    scope: 'editor',
  });
  useShortcut({
    id: 'editor.delete-word',
    keys: 'Delete',
    description: 'Delete the selected word',
    scope: 'editor',
  });
  useShortcut({
    id: 'editor.next-word',
    keys: 'ArrowRight',
    description: 'Select the next word (← the previous)',
    scope: 'editor',
  });
}
