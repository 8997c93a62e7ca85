import { memo } from 'react';
import type { Correction, Segment } from '../../../../src-main/contract/document';
import { mergeWithNext, splitSegment } from './doc-ops';
import { applyEdit } from './edit-actions';
import { useEditor } from './editor-context';
import { useEditorUi } from './editor-ui';
import { formatTime } from './format-time';
import { speakerSlot } from './speakers';
import { WordSpan } from './WordSpan';

export interface SegmentRowProps {
  segment: Segment;
  index: number;
  isLast: boolean;
  speakers: readonly { id: string; name: string }[];
  /** Caption-rule problems of this segment, one per line of text. */
  issues: string | undefined;
  corrections: ReadonlyMap<string, Correction>;
}

/** One segment: speaker, time, caption-rule marker, split/merge, and its words by line. */
export const SegmentRow = memo(function SegmentRow(props: SegmentRowProps) {
  const { segment, index, isLast, speakers, issues, corrections } = props;
  const { store, player } = useEditor();
  // The selected word when it is in this segment (so other rows do not re-render on selection).
  const selectedWordId = useEditorUi((s) =>
    s.selectedWordId !== null &&
    segment.lines.some((l) => l.words.some((w) => w.id === s.selectedWordId))
      ? s.selectedWordId
      : null,
  );
  const firstWordId = segment.lines[0]!.words[0]!.id;
  const speakerName =
    segment.speaker === null
      ? 'No speaker'
      : speakers.find((s) => s.id === segment.speaker)?.name || segment.speaker;
  // A transcript without speakers does not say "No speaker" on every segment: the chip is a
  // quiet "Set speaker" that shows on hover and focus.
  const unset = segment.speaker === null && speakers.length === 0;
  const canSplit = selectedWordId !== null && selectedWordId !== firstWordId;

  return (
    <article className="segment" aria-label={`Segment ${index + 1}`} data-segment-id={segment.id}>
      <header className="segment-head">
        <button
          type="button"
          className={`speaker-chip speaker-${speakerSlot(speakers, segment.speaker)}${unset ? ' unset' : ''}`}
          aria-label={
            unset ? 'Speaker: none. Set the speaker' : `Speaker: ${speakerName}. Change or rename`
          }
          onClick={() => useEditorUi.getState().set({ speakerSegmentId: segment.id })}
        >
          {unset ? 'Set speaker' : speakerName}
        </button>
        <button
          type="button"
          className="segment-time"
          aria-label={`Play from ${formatTime(segment.start)}`}
          onClick={() => player.seek(segment.start)}
        >
          {formatTime(segment.start)}
        </button>
        {issues && (
          <span
            className="marker caption-issue"
            role="img"
            aria-label={`Caption rules: ${issues}`}
            title={issues}
          >
            ⚠ {issues.split('\n').length}
          </span>
        )}
        <span className="segment-actions">
          <button
            type="button"
            className="small"
            disabled={!canSplit}
            title="Split before the selected word (Shift+Enter)"
            onClick={() =>
              selectedWordId &&
              applyEdit(store, 'Split segment', (doc) => splitSegment(doc, selectedWordId))
            }
          >
            Split
          </button>
          <button
            type="button"
            className="small"
            disabled={isLast}
            aria-label={`Merge segment ${index + 1} with the next`}
            title="Merge with the next segment (Ctrl+J)"
            onClick={() =>
              applyEdit(store, 'Merge segments', (doc) => mergeWithNext(doc, segment.id))
            }
          >
            Merge ↓
          </button>
        </span>
      </header>
      <p className="segment-text">
        {segment.lines.map((line, l) => (
          <span className="caption-line" key={line.words[0]!.id}>
            {l > 0 && <span className="line-break" aria-hidden="true" title="Caption line break" />}
            {line.words.map((word) => (
              <WordSpan key={word.id} word={word} correction={corrections.get(word.id)} />
            ))}
          </span>
        ))}
      </p>
    </article>
  );
});
