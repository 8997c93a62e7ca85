import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { TranscriptView } from '../../../../src-main/contract/transcripts';
import { queryKeys } from '../../api/query-keys';
import { toastError } from '../../app/toasts';
import { createAutosaver, type SaveStatus } from './autosave';
import { DocumentNotes } from './DocumentNotes';
import { createDocumentStore } from './document-store';
import { EditorContext, type EditorContextValue } from './editor-context';
import { EditorToolbar } from './EditorToolbar';
import { useEditorUi } from './editor-ui';
import { ExportDialog } from './ExportDialog';
import { FindBar } from './FindBar';
import { MediaPane } from './MediaPane';
import { isConflict, saveTranscript } from './queries';
import { SpeakerDialog } from './SpeakerDialog';
import { SpeakerPanel } from './SpeakerPanel';
import { createPlayer } from './player';
import { buildWordTimeline } from './timeline';
import { TranscriptPane } from './TranscriptPane';
import { useEditorShortcuts } from './use-editor-shortcuts';

/** One transcript open for editing: the document store, autosave, player and the panes. */
export function EditorSession({ view, atMs }: { view: TranscriptView; atMs: number | undefined }) {
  const queryClient = useQueryClient();
  const [store] = useState(() => createDocumentStore(view.document));
  const [player] = useState(createPlayer);
  const [saveStatus, setSaveStatus] = useState<SaveStatus>('saved');
  const [autosaver] = useState(() =>
    createAutosaver({
      store,
      version: view.version,
      save: (document, version) => saveTranscript(view.id, document, version),
      isConflict,
      onStatus: (status, error) => {
        setSaveStatus(status);
        if (status === 'error') toastError(error);
        // The engine's speaker rows (stats, suggestions) follow the saved document.
        if (status === 'saved') {
          void queryClient.invalidateQueries({
            queryKey: queryKeys.transcripts.speakers(view.id),
          });
        }
      },
    }),
  );

  // The playhead's word lookup follows the document (without re-rendering the session).
  useEffect(() => {
    player.setTimeline(buildWordTimeline(store.getState().doc));
    return store.subscribe((state, previous) => {
      if (state.doc !== previous.doc) player.setTimeline(buildWordTimeline(state.doc));
    });
  }, [store, player]);

  useEffect(() => {
    const stop = autosaver.start();
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!autosaver.dirty()) return;
      void autosaver.flush();
      event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      void autosaver.flush().finally(() => {
        stop();
        // The next opening reads the transcript as saved (by autosave, or by the engine when a
        // voice named a speaker), not as it was cached when this one opened.
        queryClient.removeQueries({ queryKey: queryKeys.transcripts.detail(view.id), exact: true });
      });
    };
  }, [autosaver, queryClient, view.id]);

  useEffect(() => {
    useEditorUi.getState().reset();
    // A transcript with speakers found in it opens with them in view.
    if (store.getState().doc.speakers.length > 1)
      useEditorUi.getState().set({ speakersOpen: true });
    return () => useEditorUi.getState().reset();
  }, [store]);
  // Opened at a time (e.g. from a search hit): put the playhead there.
  useEffect(() => {
    if (atMs !== undefined) player.seek(atMs);
  }, [atMs, player]);

  const context = useMemo<EditorContextValue>(
    () => ({ transcriptId: view.id, mediaId: view.mediaId, store, autosaver, player }),
    [view.id, view.mediaId, store, autosaver, player],
  );
  return (
    <EditorContext.Provider value={context}>
      <Layout saveStatus={saveStatus} />
    </EditorContext.Provider>
  );
}

function Layout({ saveStatus }: { saveStatus: SaveStatus }) {
  useEditorShortcuts();
  const findOpen = useEditorUi((s) => s.findOpen);
  const exportOpen = useEditorUi((s) => s.exportOpen);
  const speakersOpen = useEditorUi((s) => s.speakersOpen);
  const speakerSegmentId = useEditorUi((s) => s.speakerSegmentId);
  return (
    <section className="editor" aria-label="Editor">
      <EditorToolbar saveStatus={saveStatus} />
      <MediaPane />
      {findOpen && <FindBar />}
      <DocumentNotes />
      <div className="editor-body">
        <TranscriptPane />
        {speakersOpen && <SpeakerPanel />}
      </div>
      {exportOpen && <ExportDialog />}
      {speakerSegmentId && <SpeakerDialog segmentId={speakerSegmentId} />}
    </section>
  );
}
