import { describe, expect, it } from 'vitest';
import type { WhisperSegment, WhisperToken } from '../whisper/addon';
import { hypothesisWords } from './hypothesis-words';

const token = (text: string, t0: number, t1: number): WhisperToken => ({
  id: 1,
  text,
  p: 0.9,
  plog: Math.log(0.9),
  t0,
  t1,
  tDtw: null,
  special: false,
});

const segment = (t0: number, t1: number, tokens: WhisperToken[]): WhisperSegment => ({
  index: 0,
  t0,
  t1,
  text: tokens.map((t) => t.text).join(''),
  noSpeechProb: 0,
  tokens,
});

describe('hypothesisWords', () => {
  it('keeps credible token times, shifted into session time', () => {
    const words = hypothesisWords(
      [segment(0, 2000, [token(' ask', 100, 400), token(' not', 450, 900)])],
      5000,
      3000,
    );
    expect(words.map((w) => [w.text, w.startMs, w.endMs])).toEqual([
      ['ask', 5100, 5400],
      ['not', 5450, 5900],
    ]);
  });

  it('spreads words piled up at one time past the window over the segment, by length', () => {
    // A 4 s window whose segment claims 0.5–14.5 s: the last tokens all sit at 4.8 s.
    const piled = ['what', 'your', 'country', 'can', 'do'].map((w) => token(` ${w}`, 4800, 4800));
    const words = hypothesisWords(
      [segment(500, 14_500, [token(' ask', 600, 900), token(' not', 900, 1200), ...piled])],
      0,
      4000,
    );
    expect(words.map((w) => w.text)).toEqual([
      'ask',
      'not',
      'what',
      'your',
      'country',
      'can',
      'do',
    ]);
    let previous = 500;
    for (const word of words) {
      expect(word.startMs).toBeGreaterThanOrEqual(previous);
      expect(word.endMs).toBeLessThanOrEqual(4000);
      // By characters over 3.5 s: 26 letters, so at least 2 × 3500 / 26 ms each.
      expect(word.endMs - word.startMs).toBeGreaterThanOrEqual(260);
      previous = word.endMs;
    }
    expect(words.at(-1)!.endMs).toBe(4000);
  });

  it('drops a segment that starts after the audio it was decoded from', () => {
    const words = hypothesisWords(
      [
        segment(0, 1000, [token(' fellow', 0, 500), token(' Americans', 500, 1000)]),
        segment(4000, 6000, [token(' thank', 4000, 4500), token(' you', 4500, 5000)]),
      ],
      0,
      4000,
    );
    expect(words.map((w) => w.text)).toEqual(['fellow', 'Americans']);
  });
});
