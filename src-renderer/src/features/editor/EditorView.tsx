import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { TranscriptView } from '../../../../src-main/contract/transcripts';
import { useUiStore } from '../../app/ui-store';
import { EditorSession } from './EditorSession';
import { transcriptQuery } from './queries';
import './editor.css';

export interface EditorViewProps {
  transcriptId: string;
  /** Where to put the playhead when the transcript opens. */
  atMs?: number;
}

/** The editor on one transcript: loads it, then hands it to an editing session. */
export function EditorView({ transcriptId, atMs }: EditorViewProps) {
  const transcript = useQuery(transcriptQuery(transcriptId));
  const navigate = useUiStore((s) => s.navigate);
  const back = (
    <button type="button" className="button" onClick={() => navigate({ view: 'library' })}>
      Back to the library
    </button>
  );
  if (transcript.isPending) {
    return (
      <section className="editor editor-message" aria-label="Editor">
        <p role="status">Loading the transcript…</p>
      </section>
    );
  }
  if (transcript.isError) {
    return (
      <section className="editor editor-message" aria-label="Editor">
        <h2>This transcript could not be opened</h2>
        <p>{transcript.error.message}</p>
        <p>
          <button type="button" className="button" onClick={() => void transcript.refetch()}>
            Try again
          </button>{' '}
          {back}
        </p>
      </section>
    );
  }
  return (
    <Ready
      view={transcript.data}
      atMs={atMs}
      back={back}
      onRefresh={() => void transcript.refetch()}
    />
  );
}

function Ready({
  view,
  atMs,
  back,
  onRefresh,
}: {
  view: TranscriptView;
  atMs: number | undefined;
  back: ReactNode;
  onRefresh(): void;
}) {
  if (view.status !== 'complete') {
    return (
      <section className="editor editor-message" aria-label="Editor">
        <h2>This transcript is still being made</h2>
        <p>It opens for editing once its job has finished.</p>
        <p>
          <button type="button" className="button" onClick={onRefresh}>
            Check again
          </button>{' '}
          {back}
        </p>
      </section>
    );
  }
  return <EditorSession view={view} atMs={atMs} />;
}
