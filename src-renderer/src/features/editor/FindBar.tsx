import { useEffect, useMemo, useState } from 'react';
import { applyEdit } from './edit-actions';
import { useDoc, useEditor } from './editor-context';
import { useEditorUi } from './editor-ui';
import { findMatches, replaceAll, replaceMatch, type FindOptions } from './find';

/**
 * Find and replace (Ctrl+F). Matches are highlighted in the transcript; Enter goes to the next,
 * Shift+Enter to the previous. The glossary's terms (from the document's corrections and
 * target words) are offered in both fields.
 */
export function FindBar() {
  const { store, player } = useEditor();
  const doc = useDoc((s) => s.doc);
  const [query, setQuery] = useState('');
  const [replacement, setReplacement] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [wholeWord, setWholeWord] = useState(false);
  const [current, setCurrent] = useState(0);
  const options: FindOptions = useMemo(
    () => ({ query, caseSensitive, wholeWord }),
    [query, caseSensitive, wholeWord],
  );
  const matches = useMemo(() => findMatches(doc, options), [doc, options]);
  const index = matches.length === 0 ? -1 : Math.min(current, matches.length - 1);
  const match = index >= 0 ? matches[index] : undefined;
  const terms = useGlossaryTerms();

  useEffect(() => {
    useEditorUi.getState().set({
      matchWordIds: new Set(matches.map((m) => m.wordId)),
      currentMatchWordId: match?.wordId ?? null,
    });
  }, [matches, match]);
  useEffect(
    () => () => useEditorUi.getState().set({ matchWordIds: new Set(), currentMatchWordId: null }),
    [],
  );

  const go = (step: 1 | -1) => {
    if (matches.length === 0) return;
    const next = (index + step + matches.length) % matches.length;
    setCurrent(next);
    const wordId = matches[next]!.wordId;
    useEditorUi.getState().select(wordId);
    const t = doc.segments[matches[next]!.segmentIndex]!.lines.flatMap((l) => l.words);
    const word = t.find((w) => w.id === wordId);
    if (word) player.seek(word.start);
  };
  const close = () => useEditorUi.getState().set({ findOpen: false });

  return (
    <div
      className="find-bar"
      role="search"
      aria-label="Find and replace"
      // Esc closes the bar wherever the focus is in it: a field, a checkbox or a button.
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        close();
      }}
    >
      <input
        id="editor-find-input"
        type="search"
        placeholder="Find"
        aria-label="Find"
        list="editor-glossary-find"
        autoFocus
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setCurrent(0);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            go(event.shiftKey ? -1 : 1);
          }
        }}
      />
      <input
        type="text"
        placeholder="Replace with"
        aria-label="Replace with"
        list="editor-glossary-terms"
        value={replacement}
        onChange={(event) => setReplacement(event.target.value)}
      />
      <datalist id="editor-glossary-find">
        {terms.before.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <datalist id="editor-glossary-terms">
        {terms.after.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <label>
        <input
          type="checkbox"
          checked={caseSensitive}
          onChange={(e) => setCaseSensitive(e.target.checked)}
        />{' '}
        Match case
      </label>
      <label>
        <input
          type="checkbox"
          checked={wholeWord}
          onChange={(e) => setWholeWord(e.target.checked)}
        />{' '}
        Whole words
      </label>
      <span className="find-count" aria-live="polite">
        {query.trim() === ''
          ? ''
          : matches.length === 0
            ? 'No matches'
            : `${index + 1} of ${matches.length}`}
      </span>
      <button
        type="button"
        className="small"
        aria-label="Previous match"
        disabled={!match}
        onClick={() => go(-1)}
      >
        ↑
      </button>
      <button
        type="button"
        className="small"
        aria-label="Next match"
        disabled={!match}
        onClick={() => go(1)}
      >
        ↓
      </button>
      <button
        type="button"
        className="button"
        disabled={!match}
        onClick={() =>
          match && applyEdit(store, 'Replace', (d) => replaceMatch(d, match, replacement))
        }
      >
        Replace
      </button>
      <button
        type="button"
        className="button"
        disabled={!match}
        onClick={() =>
          applyEdit(store, `Replace all “${query}”`, (d) => replaceAll(d, options, replacement).doc)
        }
      >
        Replace all
      </button>
      <button type="button" className="small" aria-label="Close find" onClick={close}>
        ✕
      </button>
    </div>
  );
}

/** Terms the glossary touched: what it replaced (to find) and what it wrote (to use). */
function useGlossaryTerms(): { before: string[]; after: string[] } {
  const corrections = useDoc((s) => s.doc.corrections);
  const targets = useDoc((s) => s.doc.targetCounts);
  return useMemo(() => {
    const after = new Set([...corrections.map((c) => c.after), ...Object.keys(targets)]);
    const before = new Set(corrections.map((c) => c.before));
    return { before: [...before].sort(), after: [...after].sort() };
  }, [corrections, targets]);
}
