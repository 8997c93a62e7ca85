import { describe, expect, it } from 'vitest';
import { alignWords, wordTimingError, type TimedWord } from './word-timing';

const words = (...spec: [string, number, number][]): TimedWord[] =>
  spec.map(([text, start, end]) => ({ text, start, end }));

describe('alignWords / wordTimingError', () => {
  it('times matched words only: mean |Δstart| and |Δend| by hand', () => {
    const reference = words(['The', 0, 200], ['cat', 250, 500], ['sat', 600, 900]);
    // "cat" is misheard as "bat" (not timed); "the" and "sat" match.
    const hypothesis = words(['the', 20, 180], ['bat', 260, 480], ['sat.', 640, 960]);
    expect(alignWords(reference, hypothesis)).toEqual([
      { ref: 0, hyp: 0 },
      { ref: 2, hyp: 2 },
    ]);
    // starts: |20−0| = 20, |640−600| = 40 → 30; ends: |180−200| = 20, |960−900| = 60 → 40.
    expect(wordTimingError(reference, hypothesis)).toEqual({
      matchedWords: 2,
      referenceWords: 3,
      meanStartErrorMs: 30,
      meanEndErrorMs: 40,
      maxErrorMs: 60,
    });
  });

  it('matches through normalisation and counts a split word once', () => {
    const reference = words(
      ['go', 0, 100],
      ['forward', 100, 500],
      ['ten', 600, 800],
      ['meters', 800, 1200],
    );
    const hypothesis = words(
      ['Go', 0, 100],
      ['forward', 100, 500],
      ['10', 610, 790],
      ['meters.', 800, 1250],
    );
    expect(wordTimingError(reference, hypothesis)).toMatchObject({
      matchedWords: 4,
      meanStartErrorMs: 10 / 4,
      meanEndErrorMs: (10 + 50) / 4,
    });
    // "twenty-one" normalises to two tokens; both match "twenty one" in one hypothesis word pair.
    const pairs = alignWords(words(['twenty-one', 0, 500]), words(['21', 30, 480]));
    expect(pairs).toEqual([{ ref: 0, hyp: 0 }]);
  });

  it('reports null errors when nothing matches', () => {
    expect(wordTimingError(words(['yes', 0, 100]), words(['no', 0, 100]))).toEqual({
      matchedWords: 0,
      referenceWords: 1,
      meanStartErrorMs: null,
      meanEndErrorMs: null,
      maxErrorMs: null,
    });
    expect(wordTimingError([], []).matchedWords).toBe(0);
  });
});
