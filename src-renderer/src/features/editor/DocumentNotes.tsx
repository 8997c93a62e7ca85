import { useDoc } from './editor-context';

/**
 * What the engine noted about the transcript (e.g. that the built-in speaker finder was used),
 * quietly above it. An empty transcript shows its notes in its own place.
 */
export function DocumentNotes() {
  const notes = useDoc((s) => s.doc.notes);
  const empty = useDoc((s) => s.doc.segments.length === 0);
  if (notes.length === 0 || empty) return null;
  return (
    <ul className="doc-notes" aria-label="Notes on this transcript">
      {notes.map((note) => (
        <li key={note}>{note}</li>
      ))}
    </ul>
  );
}
