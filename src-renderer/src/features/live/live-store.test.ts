import { describe, expect, it } from 'vitest';
import { applyCaptionEvent, emptyCaptions } from './captions';
import { noCaptions } from './caption-feed';
import { captionSnapshot, initialLiveState, type LiveState } from './live-store';

const captions = applyCaptionEvent(
  applyCaptionEvent(emptyCaptions, {
    type: 'final',
    text: 'ask not what your country',
    startMs: 0,
    endMs: 1500,
    words: [],
  }),
  { type: 'partial', text: 'can do', startMs: 1500, endMs: 2000 },
);
const at = (phase: LiveState['phase']): LiveState => ({ ...initialLiveState, phase, captions });

describe('captionSnapshot', () => {
  it('gives the overlays the captions while a session runs or finishes', () => {
    for (const phase of ['running', 'stopping'] as const) {
      expect(captionSnapshot(at(phase))).toEqual({
        committed: 'ask not what your country',
        partial: 'can do',
        live: true,
      });
    }
  });

  it('gives them nothing once the session has ended, though the live view keeps its captions', () => {
    expect(captionSnapshot(at('idle'))).toEqual(noCaptions);
  });
});
