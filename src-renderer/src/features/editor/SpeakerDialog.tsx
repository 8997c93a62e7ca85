import { useState } from 'react';
import { Dialog } from '../../app/Dialog';
import { assignNewSpeaker, renameSpeaker, setSegmentSpeaker } from './doc-ops';
import { applyEdit } from './edit-actions';
import { useDoc, useEditor } from './editor-context';
import { useEditorUi } from './editor-ui';

/** A segment's speaker: give it to another (or a new) speaker, or rename the one it has. */
export function SpeakerDialog({ segmentId }: { segmentId: string }) {
  const { store } = useEditor();
  const segment = useDoc((s) => s.doc.segments.find((seg) => seg.id === segmentId));
  const speakers = useDoc((s) => s.doc.speakers);
  const current = speakers.find((s) => s.id === segment?.speaker);
  const [name, setName] = useState(current?.name ?? '');
  const [newName, setNewName] = useState('');
  const close = () => useEditorUi.getState().set({ speakerSegmentId: null });
  if (!segment) return null;

  return (
    <Dialog title="Speaker of this segment" onClose={close} size="small">
      <fieldset className="speaker-choices">
        <legend>Who speaks here</legend>
        {speakers.map((speaker) => (
          <label key={speaker.id}>
            <input
              type="radio"
              name="speaker"
              checked={segment.speaker === speaker.id}
              onChange={() => {
                applyEdit(store, 'Change speaker', (doc) =>
                  setSegmentSpeaker(doc, segmentId, speaker.id),
                );
                setName(speaker.name);
              }}
            />{' '}
            {speaker.name || speaker.id}
          </label>
        ))}
        <label>
          <input
            type="radio"
            name="speaker"
            checked={segment.speaker === null}
            onChange={() =>
              applyEdit(store, 'Change speaker', (doc) => setSegmentSpeaker(doc, segmentId, null))
            }
          />{' '}
          No speaker
        </label>
      </fieldset>
      {current && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (applyEdit(store, 'Rename speaker', (doc) => renameSpeaker(doc, current.id, name)))
              close();
          }}
        >
          <label>
            Rename “{current.name || current.id}” everywhere{' '}
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-label="Speaker name"
              data-autofocus
            />
          </label>
          <button type="submit" className="button primary">
            Rename
          </button>
        </form>
      )}
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (applyEdit(store, 'New speaker', (doc) => assignNewSpeaker(doc, segmentId, newName)))
            close();
        }}
      >
        <label>
          New speaker for this segment{' '}
          <input
            value={newName}
            onChange={(e) => setNewName(e.target.value)}
            aria-label="New speaker name"
          />
        </label>
        <button type="submit" className="button">
          Add and assign
        </button>
      </form>
    </Dialog>
  );
}
