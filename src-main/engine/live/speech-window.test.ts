import { describe, expect, it } from 'vitest';
import { planSpeechWindow } from './speech-window';

describe('planSpeechWindow', () => {
  it('skips a window without speech, keeping the last pad for speech that may be starting', () => {
    expect(planSpeechWindow([], 3000)).toEqual({ kind: 'silence', untilMs: 2800 });
    // Speech wholly inside the committed left context counts as none.
    expect(planSpeechWindow([{ startMs: 0, endMs: 300 }], 3000, 500)).toEqual({
      kind: 'silence',
      untilMs: 2800,
    });
  });

  it('starts the decode shortly before the first speech', () => {
    expect(planSpeechWindow([{ startMs: 1500, endMs: 3000 }], 3000)).toEqual({
      kind: 'decode',
      fromMs: 1300,
      toMs: 3000,
      utteranceEnd: false,
    });
  });

  it('ends the utterance at a long enough pause after the last speech', () => {
    expect(planSpeechWindow([{ startMs: 100, endMs: 2400 }], 3000)).toEqual({
      kind: 'decode',
      fromMs: 0,
      toMs: 2600,
      utteranceEnd: true,
    });
    // 300 ms is too short a pause: the speaker may go on.
    expect(planSpeechWindow([{ startMs: 100, endMs: 2700 }], 3000)).toMatchObject({
      toMs: 3000,
      utteranceEnd: false,
    });
  });

  it('cuts at the last long pause between spans, in the middle of a short one', () => {
    const spans = [
      { startMs: 0, endMs: 1000 },
      { startMs: 1300, endMs: 2000 }, // 300 ms pause before: same utterance
      { startMs: 2600, endMs: 4000 }, // 600 ms pause before: a new utterance, still going
    ];
    expect(planSpeechWindow(spans, 4000)).toEqual({
      kind: 'decode',
      fromMs: 0,
      toMs: 2200,
      utteranceEnd: true,
    });
    expect(planSpeechWindow(spans, 4000, 0, { utteranceEndMs: 700 })).toMatchObject({
      toMs: 4000,
      utteranceEnd: false,
    });
    // A pad larger than half the pause stops in its middle.
    expect(planSpeechWindow(spans, 4000, 0, { speechPadMs: 500 })).toMatchObject({
      toMs: 2300,
    });
  });

  it('ignores speech before the commit point', () => {
    const spans = [
      { startMs: 0, endMs: 400 },
      { startMs: 1200, endMs: 2000 },
    ];
    // Committed up to 500 ms: the pause after the committed word is not an utterance end.
    expect(planSpeechWindow(spans, 2200, 500)).toEqual({
      kind: 'decode',
      fromMs: 1000,
      toMs: 2200,
      utteranceEnd: false,
    });
  });
});
