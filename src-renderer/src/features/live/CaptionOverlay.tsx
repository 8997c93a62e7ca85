import { useEffect, useState } from 'react';
import { noCaptions, subscribeCaptions, type CaptionSnapshot } from './caption-feed';
import { overlayFont, useOverlayPrefs, useOverlayPrefsSync } from './overlay-prefs';
import './live.css';

/**
 * The big-caption display: the last two lines of the live captions in large light-on-dark type,
 * fed through the `studio-live-captions` channel. It fills its window (the `#/overlay` route, a
 * Picture-in-Picture window or the Electron overlay); its size and position controls appear on
 * hover or keyboard focus and apply to every overlay.
 */
export function CaptionOverlay() {
  const [captions, setCaptions] = useState<CaptionSnapshot>(noCaptions);
  useEffect(() => subscribeCaptions(setCaptions), []);
  useOverlayPrefsSync();
  const { fontSize, position, setFontSize, setPosition } = useOverlayPrefs();
  const empty = !captions.committed && !captions.partial;

  return (
    <main className={`caption-overlay at-${position}`} aria-labelledby="caption-overlay-title">
      <h1 id="caption-overlay-title" className="visually-hidden">
        Live captions
      </h1>
      <div className="caption-overlay-lines" style={{ fontSize }} data-testid="overlay-captions">
        <p>
          {empty ? (
            <span className="caption-overlay-waiting">
              {captions.live ? 'Listening…' : 'Captions appear here while live captions run.'}
            </span>
          ) : (
            <>
              {captions.committed}
              {captions.partial && (
                <span className="caption-tentative">
                  {captions.committed ? ' ' : ''}
                  {captions.partial}
                </span>
              )}
            </>
          )}
        </p>
      </div>
      <div className="caption-overlay-tools" role="toolbar" aria-label="Caption display">
        <button
          type="button"
          aria-label="Smaller captions"
          disabled={fontSize <= overlayFont.min}
          onClick={() => setFontSize(fontSize - overlayFont.step)}
        >
          A−
        </button>
        <span className="num" aria-label={`Caption size ${fontSize} pixels`}>
          {fontSize} px
        </span>
        <button
          type="button"
          aria-label="Larger captions"
          disabled={fontSize >= overlayFont.max}
          onClick={() => setFontSize(fontSize + overlayFont.step)}
        >
          A+
        </button>
        <button type="button" onClick={() => setPosition(position === 'top' ? 'bottom' : 'top')}>
          {position === 'top' ? 'Move to the bottom' : 'Move to the top'}
        </button>
      </div>
    </main>
  );
}
