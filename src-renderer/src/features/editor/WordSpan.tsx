import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Correction, Word } from '../../../../src-main/contract/document';
import { deleteWord, setWordText } from './doc-ops';
import { applyEdit } from './edit-actions';
import { useEditor } from './editor-context';
import { useEditorUi } from './editor-ui';
import { formatTime } from './format-time';

export const overlapNote = 'Spoken over by another speaker';
/** The element that describes an overlapped word to screen readers (one per transcript pane). */
export const overlapNoteId = 'word-overlap-note';

const flagNotes: Partial<Record<Word['flags'][number], string>> = {
  'low-confidence': 'Low confidence: check this word',
  hallucination: 'Possibly invented: the audio here sounds silent',
  repetition: 'Repeated beyond the usual: possibly a decoding loop',
  overlap: overlapNote,
};

/**
 * What a word's tooltip says: its time, the model's confidence and every flag worth a look. Once
 * a person edited the word, the model's confidence no longer describes it: it says "edited".
 */
function wordTitle(word: Word, correction: Correction | undefined): string {
  const edited = word.flags.includes('edited');
  const parts = [
    `${formatTime(word.start)}–${formatTime(word.end)}`,
    edited ? 'edited' : `confidence ${Math.round(word.confidence * 100)}%`,
  ];
  for (const flag of word.flags) {
    const note = flagNotes[flag];
    if (note && !(flag === 'low-confidence' && edited)) parts.push(note);
  }
  if (correction)
    parts.push(`Glossary: “${correction.before}” → “${correction.after}” (${correction.rule})`);
  return parts.join('\n');
}

/** The word after (or before) `wordId` in the document. */
function neighbour(ids: readonly string[], wordId: string, step: 1 | -1): string | undefined {
  const i = ids.indexOf(wordId);
  return i < 0 ? undefined : ids[i + step];
}

/**
 * One word: click to select and seek, double-click or Enter to edit, arrows to move, Delete to
 * remove. Only the word's own highlight states re-render it.
 */
export const WordSpan = memo(function WordSpan({
  word,
  correction,
}: {
  word: Word;
  correction: Correction | undefined;
}) {
  const { player, store } = useEditor();
  const active = useEditorUi((s) => s.activeWordId === word.id);
  const selected = useEditorUi((s) => s.selectedWordId === word.id);
  // With nothing selected, the first word is where Tab enters the transcript.
  const entry = useEditorUi(
    (s) => s.selectedWordId === null && word.structure.includes('document-first'),
  );
  const editing = useEditorUi((s) => s.editingWordId === word.id);
  const focusRequest = useEditorUi((s) => (s.selectedWordId === word.id ? s.focusRequest : -1));
  const match = useEditorUi((s) =>
    s.currentMatchWordId === word.id ? 'current' : s.matchWordIds.has(word.id) ? 'match' : null,
  );
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (focusRequest > 0) ref.current?.focus();
  }, [focusRequest]);

  if (editing) return <WordEditor word={word} />;

  const ui = useEditorUi.getState;
  const move = (step: 1 | -1) => {
    const next = neighbour(player.timeline().ids, word.id, step);
    if (next) ui().select(next, true);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLSpanElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      ui().edit(word.id);
    } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault();
      move(event.key === 'ArrowRight' ? 1 : -1);
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      const next =
        neighbour(player.timeline().ids, word.id, 1) ??
        neighbour(player.timeline().ids, word.id, -1);
      if (applyEdit(store, 'Delete word', (doc) => deleteWord(doc, word.id))) {
        ui().select(next ?? null, true);
      }
    }
  };
  const flags = word.flags.includes('edited')
    ? word.flags.filter((f) => f !== 'low-confidence')
    : word.flags;
  const className = [
    'word',
    ...flags.map((f) => `flag-${f}`),
    correction ? 'flag-corrected' : '',
    active ? 'active' : '',
    selected ? 'selected' : '',
    match ? `match-${match}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <span
        ref={ref}
        className={className}
        data-word-id={word.id}
        role="button"
        tabIndex={selected || entry ? 0 : -1}
        aria-pressed={selected}
        aria-describedby={flags.includes('overlap') ? overlapNoteId : undefined}
        title={wordTitle(word, correction)}
        onClick={() => {
          ui().select(word.id);
          player.seek(word.start);
        }}
        onDoubleClick={() => ui().edit(word.id)}
        onKeyDown={onKeyDown}
      >
        {word.text}
        {(flags.includes('hallucination') || flags.includes('repetition')) && (
          <span className="marker word-marker" aria-hidden="true">
            !
          </span>
        )}
      </span>{' '}
    </>
  );
});

/** Inline editing: Enter saves, Esc cancels, Tab / Shift+Tab save and edit the next / previous. */
function WordEditor({ word }: { word: Word }) {
  const { store, player } = useEditor();
  const [text, setText] = useState(word.text);
  const done = useRef(false);
  const finish = (save: boolean, step?: 1 | -1) => {
    if (done.current) return;
    done.current = true;
    const next = step ? neighbour(player.timeline().ids, word.id, step) : undefined;
    if (save && text !== word.text) {
      applyEdit(store, 'Edit word', (doc) => setWordText(doc, word.id, text));
    }
    const ui = useEditorUi.getState();
    if (next) ui.edit(next);
    else {
      ui.edit(null);
      ui.select(player.timeline().ids.includes(word.id) ? word.id : null, true);
    }
  };
  return (
    <>
      <input
        className="word-input"
        aria-label={`Edit word “${word.text}”`}
        value={text}
        size={Math.max(2, text.length + 1)}
        autoFocus
        spellCheck
        onFocus={(event) => event.currentTarget.select()}
        onChange={(event) => setText(event.target.value)}
        onBlur={() => finish(true)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            finish(true);
          } else if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            finish(false);
          } else if (event.key === 'Tab') {
            event.preventDefault();
            finish(true, event.shiftKey ? -1 : 1);
          }
        }}
      />{' '}
    </>
  );
}
