import { describe, expect, it } from 'vitest';
import type { CaptionRules, Segment, TranscriptDocument } from '../../contract/document';
import { makeDocument, timedWords } from './__fixtures__/make-document';
import { lintCaptions } from './lint';
import { broadcastRules } from './presets';

const rules: CaptionRules = broadcastRules();

/** A document whose segments are given lines of words exactly as written (no wrapping). */
function captions(
  specs: { lines: string[]; start: number; end: number; wordMs?: number }[],
): TranscriptDocument {
  const doc = makeDocument([]);
  let id = 0;
  const segments: Segment[] = specs.map((spec, index) => {
    let t = spec.start;
    const lines = spec.lines.map((text) => {
      const words = timedWords(text, { start: t, wordMs: spec.wordMs ?? 100 }).map((w) => ({
        ...w,
        id: `w${id++}`,
        confidence: 1,
        speaker: null,
        flags: [],
        structure: [],
        tags: [],
      }));
      t = words.at(-1)?.end ?? t;
      return { start: words[0]?.start ?? t, end: t, words };
    });
    return { id: `c${index}`, start: spec.start, end: spec.end, speaker: null, lines };
  });
  return { ...doc, segments };
}

describe('lintCaptions', () => {
  it('finds nothing wrong with good captions', () => {
    const doc = captions([
      { lines: ['A good caption', 'on two lines.'], start: 0, end: 2000 },
      { lines: ['Another one.'], start: 2080, end: 3500 },
    ]);
    expect(lintCaptions(doc, rules)).toEqual([]);
  });

  it('reports every violation type with its position, value and limit', () => {
    const long = 'This line is much longer than forty-two characters';
    const doc = captions([
      { lines: [long, 'two'], start: 0, end: 6000 }, // 50 chars on line 1
      { lines: ['one', 'two', 'three'], start: 6080, end: 7500 }, // 3 lines
      { lines: ['Far too much text for such a short time'], start: 7580, end: 9000 }, // 27.5 cps
      { lines: ['Blink'], start: 9080, end: 9500 }, // 420 ms
      { lines: ['Lingers'], start: 9500, end: 17_000, wordMs: 1000 }, // no gap, 7.5 s
      { lines: ['Overlaps'], start: 16_900, end: 18_000 }, // 100 ms overlap
    ]);
    const violations = lintCaptions(doc, rules);
    expect(violations.map(({ message: _, ...v }) => v)).toEqual([
      {
        segmentId: 'c0',
        segmentIndex: 0,
        lineIndex: 0,
        startMs: 0,
        rule: 'chars-per-line',
        actual: 50,
        limit: 42,
      },
      { segmentId: 'c1', segmentIndex: 1, startMs: 6080, rule: 'lines', actual: 3, limit: 2 },
      {
        segmentId: 'c2',
        segmentIndex: 2,
        startMs: 7580,
        rule: 'chars-per-second',
        actual: 27.46,
        limit: 17,
      },
      {
        segmentId: 'c3',
        segmentIndex: 3,
        startMs: 9080,
        rule: 'min-duration',
        actual: 420,
        limit: 1000,
      },
      {
        segmentId: 'c4',
        segmentIndex: 4,
        startMs: 9500,
        rule: 'max-duration',
        actual: 7500,
        limit: 7000,
      },
      { segmentId: 'c4', segmentIndex: 4, startMs: 9500, rule: 'min-gap', actual: 0, limit: 80 },
      { segmentId: 'c5', segmentIndex: 5, startMs: 16_900, rule: 'overlap', actual: 100, limit: 0 },
    ]);
    expect(violations.map((v) => v.message)).toEqual([
      'Caption 1, line 1 has 50 characters; the limit is 42.',
      'Caption 2 has 3 lines; the limit is 2.',
      'Caption 3 needs 27.46 characters per second (39 in 1420 ms); the limit is 17.',
      'Caption 4 is shown for 420 ms; the minimum is 1000 ms.',
      'Caption 5 is shown for 7500 ms; the maximum is 7000 ms.',
      'Caption 5 starts 0 ms after caption 4 ends; the minimum gap is 80 ms.',
      'Caption 6 starts 100 ms before caption 5 ends.',
    ]);
  });

  it('says when an overlong line is a single word', () => {
    const doc = captions([
      { lines: ['Pneumonoultramicroscopicsilicovolcanoconiosis'], start: 0, end: 4000 },
    ]);
    expect(lintCaptions(doc, rules)).toMatchObject([
      {
        rule: 'chars-per-line',
        message:
          'Caption 1, line 1 has 45 characters (a single word, which is never split); the limit is 42.',
      },
    ]);
  });

  it('reports the line start for a long second line', () => {
    const doc = captions([
      {
        lines: ['Short first line,', 'then a second line that runs on far too long'],
        start: 1000,
        end: 5000,
      },
    ]);
    expect(lintCaptions(doc, rules)).toMatchObject([
      { rule: 'chars-per-line', lineIndex: 1, startMs: 1300, actual: 44 },
    ]);
  });

  it('measures reading speed over the display time, spaces included', () => {
    // "abc def" = 7 characters in 1000 ms = 7 cps.
    const doc = captions([{ lines: ['abc', 'def'], start: 0, end: 1000 }]);
    expect(lintCaptions(doc, { ...rules, maxCharsPerSecond: 7 })).toEqual([]);
    expect(lintCaptions(doc, { ...rules, maxCharsPerSecond: 6.9 })).toMatchObject([
      { rule: 'chars-per-second', actual: 7 },
    ]);
  });
});
