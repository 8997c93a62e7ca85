import { useQuery } from '@tanstack/react-query';
import { useUiStore } from '../../app/ui-store';
import type { SaveStatus } from './autosave';
import { ConflictBanner } from './ConflictBanner';
import { useDoc, useEditor } from './editor-context';
import { useEditorUi } from './editor-ui';
import { mediaQuery } from './queries';

const statusText: Record<SaveStatus, string> = {
  saved: 'Saved',
  saving: 'Saving…',
  unsaved: 'Unsaved changes',
  conflict: 'Conflict',
  error: 'Not saved',
};

/** Title, save status, undo/redo, and the buttons for find, speakers and export. */
export function EditorToolbar({ saveStatus }: { saveStatus: SaveStatus }) {
  const { store, mediaId, autosaver } = useEditor();
  const media = useQuery(mediaQuery(mediaId));
  const undoLabel = useDoc((s) => s.past.at(-1)?.label);
  const redoLabel = useDoc((s) => s.future[0]?.label);
  const navigate = useUiStore((s) => s.navigate);
  const ui = useEditorUi.getState;
  const findOpen = useEditorUi((s) => s.findOpen);
  const speakersOpen = useEditorUi((s) => s.speakersOpen);
  return (
    <>
      <header className="editor-toolbar">
        <button
          type="button"
          className="small"
          onClick={() => navigate({ view: 'library' })}
          aria-label="Back to the library"
        >
          ←
        </button>
        <h2 className="editor-title">{media.data?.name ?? 'Transcript'}</h2>
        <span className={`save-status save-${saveStatus}`} role="status" aria-label="Save status">
          {statusText[saveStatus]}
        </span>
        {saveStatus === 'error' && (
          <button type="button" className="small" onClick={() => void autosaver.flush()}>
            Retry saving
          </button>
        )}
        <span className="toolbar-spacer" />
        <button
          type="button"
          className="button"
          disabled={!undoLabel}
          onClick={() => store.getState().undo()}
          title={undoLabel ? `Undo ${undoLabel} (Ctrl+Z)` : 'Nothing to undo'}
        >
          Undo
        </button>
        <button
          type="button"
          className="button"
          disabled={!redoLabel}
          onClick={() => store.getState().redo()}
          title={redoLabel ? `Redo ${redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'}
        >
          Redo
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={findOpen}
          onClick={() => ui().set({ findOpen: !findOpen })}
          title="Find and replace (Ctrl+F)"
        >
          Find
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={speakersOpen}
          onClick={() => ui().set({ speakersOpen: !speakersOpen })}
        >
          Speakers
        </button>
        <button
          type="button"
          className="button primary"
          onClick={() => ui().set({ exportOpen: true })}
          title="Export (Ctrl+E)"
        >
          Export…
        </button>
      </header>
      {saveStatus === 'conflict' && <ConflictBanner />}
    </>
  );
}
