import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../../src-main/contract/document';
import { makeDocument } from './__fixtures__/make-document';
import { captionIssues } from './caption-rules';
import { formatTime } from './format-time';
import { speakerStats } from '../../../../src-main/common/speaker-stats';
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
    expect(issues.get('s1')?.map((v) => [v.rule, v.message])).toEqual([
      [
        'chars-per-line',
        'Caption 2, line 1 has 45 characters (a single word, which is never split); the limit is 42.',
      ],
      ['lines', 'Caption 2 has 3 lines; the limit is 2.'],
      [
        'chars-per-second',
        'Caption 2 needs 35 characters per second (49 in 1400 ms); the limit is 17.',
      ],
    ]);
  });

  it('flags short captions, small gaps and overlaps', () => {
    const doc = makeDocument([{ lines: [['a']] }, { lines: [['b']] }, { lines: [['c']] }]);
    const moved = (segment: Segment, start: number): Segment => ({
      ...segment,
      start,
      lines: [{ ...segment.lines[0]!, start, words: [{ ...segment.lines[0]!.words[0]!, start }] }],
    });
    doc.segments[1] = moved(doc.segments[1]!, 420);
    doc.segments[2] = moved(doc.segments[2]!, 850);
    const issues = captionIssues(doc);
    expect(issues.get('s0')?.map((v) => v.message)).toEqual([
      'Caption 1 is shown for 400 ms; the minimum is 1000 ms.',
    ]);
    expect(issues.get('s1')?.map((v) => v.message)).toContain(
      'Caption 2 starts 20 ms after caption 1 ends; the minimum gap is 80 ms.',
    );
    expect(issues.get('s2')?.map((v) => [v.rule, v.message])).toContainEqual([
      'overlap',
      'Caption 3 starts 50 ms before caption 2 ends.',
    ]);
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
