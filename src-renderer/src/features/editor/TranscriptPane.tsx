import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import { captionIssues } from './caption-rules';
import { useDoc, useEditor } from './editor-context';
import { useEditorUi } from './editor-ui';
import { SegmentRow } from './SegmentRow';
import { overlapNote, overlapNoteId } from './WordSpan';

/**
 * The transcript, one virtualised row per segment, so only the rows on screen are in the DOM
 * (a 3-hour transcript has thousands of segments). Follows the playhead while playing and
 * scrolls the selected word's segment into view.
 */
export function TranscriptPane() {
  const { player } = useEditor();
  const segments = useDoc((s) => s.doc.segments);
  const speakers = useDoc((s) => s.doc.speakers);
  const doc = useDoc((s) => s.doc);
  const issues = useMemo(() => captionIssues(doc), [doc]);
  const corrections = useMemo(
    () => new Map(doc.corrections.map((c) => [c.wordId, c])),
    [doc.corrections],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer re-renders this component on scroll by design; the compiler leaves it alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: segments.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 76,
    overscan: 6,
    getItemKey: (index) => segments[index]!.id,
  });

  const activeWordId = useEditorUi((s) => s.activeWordId);
  const playing = useEditorUi((s) => s.playing);
  const follow = useEditorUi((s) => s.follow);
  const selectedWordId = useEditorUi((s) => s.selectedWordId);
  const focusRequest = useEditorUi((s) => s.focusRequest);

  const segmentOfWord = (wordId: string | null) => {
    if (!wordId) return -1;
    const t = player.timeline();
    const i = t.ids.indexOf(wordId);
    return i >= 0 ? t.segmentOf[i]! : -1;
  };
  const activeSegment = playing && follow ? segmentOfWord(activeWordId) : -1;
  useEffect(() => {
    if (activeSegment >= 0) virtualizer.scrollToIndex(activeSegment, { align: 'auto' });
  }, [activeSegment, virtualizer]);
  useEffect(() => {
    const s = segmentOfWord(useEditorUi.getState().selectedWordId);
    if (s >= 0) virtualizer.scrollToIndex(s, { align: 'auto' });
    // Only when the selection (or a request to focus it) changes, not on every edit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedWordId, focusRequest, virtualizer]);

  if (segments.length === 0) {
    return (
      <div className="transcript empty-state">
        <p>No speech was found in this file, so there are no words to edit.</p>
        {doc.notes.map((note) => (
          <p key={note}>{note}</p>
        ))}
      </div>
    );
  }
  return (
    <div ref={scrollRef} className="transcript" role="region" aria-label="Transcript">
      <span id={overlapNoteId} hidden>
        {overlapNote}
      </span>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const segment = segments[item.index]!;
          return (
            <div
              key={item.key}
              ref={virtualizer.measureElement}
              data-index={item.index}
              className="segment-slot"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <SegmentRow
                segment={segment}
                index={item.index}
                isLast={item.index === segments.length - 1}
                speakers={speakers}
                issues={issues
                  .get(segment.id)
                  ?.map((v) => v.message)
                  .join('\n')}
                corrections={corrections}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
