import { useMemo, useState } from 'react';
import { mergeSpeakers, renameSpeaker } from './doc-ops';
import { applyEdit } from './edit-actions';
import { useDoc, useEditor } from './editor-context';
import { formatTime } from './format-time';
import { speakerStats } from '../../../../src-main/contract/speaker-stats';

/** Every speaker with talk time and word count; rename in place, merge one into another. */
export function SpeakerPanel() {
  const doc = useDoc((s) => s.doc);
  const stats = useMemo(() => speakerStats(doc), [doc]);
  return (
    <aside className="speaker-panel" aria-label="Speakers">
      <h3>Speakers</h3>
      {doc.speakers.length === 0 && (
        <p className="muted">No speakers yet. Click a segment’s speaker label to add one.</p>
      )}
      <ul>
        {stats.map((s) => (
          <li key={s.id ?? 'none'}>
            {s.id === null ? (
              <span className="speaker-row-name">{s.name}</span>
            ) : (
              <SpeakerRow
                key={s.name}
                id={s.id}
                name={s.name}
                others={doc.speakers.filter((o) => o.id !== s.id)}
              />
            )}
            <span className="muted">
              {formatTime(s.talkMs)} · {s.words} words
            </span>
          </li>
        ))}
      </ul>
    </aside>
  );
}

function SpeakerRow({
  id,
  name,
  others,
}: {
  id: string;
  name: string;
  others: { id: string; name: string }[];
}) {
  const { store } = useEditor();
  const [draft, setDraft] = useState(name);
  const [into, setInto] = useState('');
  const rename = () => {
    if (draft.trim() !== name)
      applyEdit(store, 'Rename speaker', (doc) => renameSpeaker(doc, id, draft));
  };
  return (
    <div className="speaker-row">
      <input
        className="speaker-row-name"
        aria-label={`Name of speaker ${name || id}`}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={rename}
        onKeyDown={(e) => {
          if (e.key === 'Enter') rename();
          if (e.key === 'Escape') setDraft(name);
        }}
      />
      {others.length > 0 && (
        <span className="speaker-merge">
          <select
            aria-label={`Merge ${name || id} into`}
            value={into}
            onChange={(e) => setInto(e.target.value)}
          >
            <option value="">Merge into…</option>
            {others.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name || o.id}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="small"
            disabled={into === ''}
            onClick={() =>
              applyEdit(store, 'Merge speakers', (doc) => mergeSpeakers(doc, id, into))
            }
          >
            Merge
          </button>
        </span>
      )}
    </div>
  );
}
