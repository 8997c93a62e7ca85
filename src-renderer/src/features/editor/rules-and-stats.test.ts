import { describe, expect, it } from 'vitest';
import { makeDocument } from './__fixtures__/make-document';
import { captionIssues } from './caption-rules';
import { formatTime } from './format-time';
import { speakerStats } from '../../../../src-main/contract/speaker-stats';
import { speakerName } from './speakers';

describe('captionIssues', () => {
  it('lists each rule a caption breaks, and nothing for a good one', () => {
    const long = 'x'.repeat(45);
    const doc = makeDocument([
      { lines: [['Hello', 'there']], padMs: 700 },
      { lines: [[long], ['a'], ['b']] },
    ]);
    const issues = captionIssues(doc);
    expect(issues.has('s0')).toBe(false);
    expect(issues.get('s1')).toEqual([
      'Line 1 has 45 characters (limit 42).',
      '3 lines (limit 2).',
      'Reading speed 35.0 characters/s (limit 17).',
    ]);
  });

  it('flags short captions and small gaps', () => {
    const doc = makeDocument([{ lines: [['a']] }, { lines: [['b']] }]);
    doc.segments[1] = { ...doc.segments[1]!, start: 420 };
    doc.segments[1].lines[0] = { ...doc.segments[1].lines[0]!, start: 420 };
    doc.segments[1].lines[0].words[0] = { ...doc.segments[1].lines[0].words[0]!, start: 420 };
    expect(captionIssues(doc).get('s1')).toContain(
      '20 ms after the previous caption (minimum 80 ms).',
    );
    expect(captionIssues(doc).get('s0')).toEqual(['On screen 400 ms (minimum 1000 ms).']);
  });
});

describe('speakerStats', () => {
  it('sums talk time and words per speaker, unassigned last', () => {
    const doc = makeDocument([
      { speaker: 'A', lines: [['one', 'two']] },
      { speaker: 'B', lines: [['three']] },
      { speaker: null, lines: [['four']] },
    ]);
    expect(speakerStats(doc)).toEqual([
      { id: 'A', name: 'Name of A', talkMs: 800, words: 2, sample: expect.any(Object) },
      { id: 'B', name: 'Name of B', talkMs: 400, words: 1, sample: expect.any(Object) },
      { id: null, name: 'Unassigned', talkMs: 400, words: 1, sample: null },
    ]);
    expect(speakerName(doc, 'A')).toBe('Name of A');
    expect(speakerName(doc, null)).toBe('No speaker');
  });
});

describe('formatTime', () => {
  it.each([
    [0, '0:00.0'],
    [61_250, '1:01.2'],
    [3_723_900, '1:02:03.9'],
  ])('%d ms → %s', (ms, text) => expect(formatTime(ms)).toBe(text));
});
