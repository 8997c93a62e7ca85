import { useLayoutEffect, useRef, useState } from 'react';
import { useLive } from './live-store';

/** How close to the bottom counts as "at the newest line" (px). */
const stickSlack = 32;

/**
 * The session's captions: committed text solid, the tentative tail dimmed after it. Follows the
 * newest line unless the user scrolled up to read; "Jump to the latest" follows again.
 */
export function CaptionLog() {
  const { paragraphs, partial } = useLive((s) => s.captions);
  const phase = useLive((s) => s.phase);
  const log = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);

  useLayoutEffect(() => {
    const element = log.current;
    if (following && element) element.scrollTop = element.scrollHeight;
  }, [paragraphs, partial, following]);

  const onScroll = () => {
    const element = log.current;
    if (!element) return;
    setFollowing(element.scrollHeight - element.scrollTop - element.clientHeight <= stickSlack);
  };

  // Tentative words are hidden from screen readers: the log announces them once, when final.
  const tentative = partial && (
    <span className="caption-tentative" aria-hidden="true">
      {paragraphs.length > 0 ? ' ' : ''}
      {partial}
    </span>
  );
  const last = paragraphs.length - 1;

  return (
    <div className="caption-log-frame">
      <div
        ref={log}
        className="caption-log"
        role="log"
        aria-label="Captions"
        tabIndex={0}
        onScroll={onScroll}
      >
        {paragraphs.length === 0 && !partial ? (
          <p className="caption-placeholder">
            {phase === 'idle'
              ? 'Press Start and speak: captions appear here as you talk.'
              : 'Listening…'}
          </p>
        ) : paragraphs.length === 0 ? (
          <p>{tentative}</p>
        ) : (
          paragraphs.map((text, i) => (
            <p key={i}>
              {text}
              {i === last && tentative}
            </p>
          ))
        )}
      </div>
      {!following && (
        <button type="button" className="small caption-jump" onClick={() => setFollowing(true)}>
          Jump to the latest
        </button>
      )}
    </div>
  );
}
