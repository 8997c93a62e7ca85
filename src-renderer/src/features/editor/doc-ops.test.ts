import { describe, expect, it } from 'vitest';
import { checkDocument, makeDocument, texts } from './__fixtures__/make-document';
import {
  assignNewSpeaker,
  deleteWord,
  EditError,
  locateWord,
  mergeSpeakers,
  mergeWithNext,
  renameSpeaker,
  retimeWord,
  setSegmentSpeaker,
  setWordText,
  splitSegment,
} from './doc-ops';

// w0..w4 in s0 (two lines), w5..w6 in s1 (padded by 600 ms), w7 in s2.
const sample = () =>
  makeDocument([
    {
      speaker: 'A',
      lines: [
        ['And', 'so', 'my'],
        ['fellow', 'Americans,'],
      ],
    },
    { speaker: 'B', lines: [['ask', 'not']], padMs: 600 },
    { speaker: 'A', lines: [['what.']] },
  ]);

const wordOf = (doc: ReturnType<typeof sample>, id: string) => {
  const { s, l, w } = locateWord(doc, id);
  return doc.segments[s]!.lines[l]!.words[w]!;
};

describe('setWordText', () => {
  it('changes the text, flags the word as edited and shares every other segment', () => {
    const doc = sample();
    const edited = setWordText(doc, 'w1', 'so,');
    checkDocument(edited);
    expect(wordOf(edited, 'w1')).toMatchObject({ text: 'so,', flags: ['edited'] });
    expect(edited.segments[1]).toBe(doc.segments[1]);
    expect(doc.segments[0]!.lines[0]!.words[1]!.text).toBe('so');
  });

  it('returns the same document when nothing changes', () => {
    const doc = sample();
    expect(setWordText(doc, 'w1', ' so ')).toBe(doc);
  });

  it('splits text with spaces into words that share the time, with fresh ids', () => {
    const doc = sample();
    const edited = setWordText(doc, 'w2', 'my own');
    checkDocument(edited);
    expect(texts(edited)[0]).toEqual(['And so my own', 'fellow Americans,']);
    const words = edited.segments[0]!.lines[0]!.words;
    expect(words[2]).toMatchObject({ id: 'w2', start: 1000, end: 1160 });
    expect(words[3]).toMatchObject({ id: 'w2-1', start: 1160, end: 1400 });
  });

  it('deletes the word when the text is empty, and an emptied segment with it', () => {
    const doc = sample();
    const edited = setWordText(doc, 'w7', '  ');
    checkDocument(edited);
    expect(texts(edited)).toHaveLength(2);
    expect(edited.segments[1]!.lines[0]!.words[1]!.structure).toContain('document-last');
    const lineGone = deleteWord(makeDocument([{ lines: [['a'], ['b', 'c']] }]), 'w0');
    checkDocument(lineGone);
    expect(texts(lineGone)).toEqual([['b c']]);
  });

  it('refuses a word that is not there', () => {
    expect(() => setWordText(sample(), 'nope', 'x')).toThrow(EditError);
  });
});

describe('splitSegment and mergeWithNext', () => {
  it('splits in the middle of a line, and merging back restores the words', () => {
    const doc = sample();
    const split = splitSegment(doc, 'w1');
    checkDocument(split);
    expect(texts(split)).toEqual([['And'], ['so my', 'fellow Americans,'], ['ask not'], ['what.']]);
    expect(split.segments[1]).toMatchObject({ id: 's0-1', speaker: 'A', start: 500 });
    expect(split.segments[0]!.end).toBe(400);
    const merged = mergeWithNext(split, 's0');
    checkDocument(merged);
    expect(texts(merged)[0]).toEqual(['And', 'so my', 'fellow Americans,']);
  });

  it('splits at a line boundary without an empty line', () => {
    const split = splitSegment(sample(), 'w3');
    checkDocument(split);
    expect(texts(split).slice(0, 2)).toEqual([['And so my'], ['fellow Americans,']]);
  });

  it('refuses to split before the first word, or merge the last segment', () => {
    expect(() => splitSegment(sample(), 'w5')).toThrow(/first word/);
    expect(() => mergeWithNext(sample(), 's2')).toThrow(/last segment/);
  });

  it('gives the merged words the first segment’s speaker', () => {
    const merged = mergeWithNext(sample(), 's0');
    checkDocument(merged);
    expect(merged.segments[0]!.lines.flatMap((l) => l.words).map((w) => w.speaker)).toEqual(
      Array(7).fill('A'),
    );
    expect(merged.segments[0]!.end).toBe(sample().segments[1]!.end);
  });
});

describe('retimeWord', () => {
  it('moves a word inside its neighbours and flags it as edited', () => {
    const doc = retimeWord(sample(), 'w1', 450, 850);
    checkDocument(doc);
    expect(wordOf(doc, 'w1')).toMatchObject({ start: 450, end: 850, flags: ['edited'] });
  });

  it('clamps to the previous word’s end and the next word’s start', () => {
    const doc = retimeWord(sample(), 'w1', 0, 99_999);
    checkDocument(doc);
    expect(wordOf(doc, 'w1')).toMatchObject({ start: 400, end: 1000 });
    const inverted = retimeWord(sample(), 'w1', 900, 600);
    checkDocument(inverted);
    expect(wordOf(inverted, 'w1')).toMatchObject({ start: 900, end: 900 });
  });

  it('moves the edges of its line and segment with an edge word', () => {
    const doc = retimeWord(sample(), 'w0', 100, 400);
    checkDocument(doc);
    expect(doc.segments[0]).toMatchObject({ start: 100 });
    expect(doc.segments[0]!.lines[0]!.start).toBe(100);
    const last = retimeWord(sample(), 'w4', 2000, 2450);
    checkDocument(last);
    expect(last.segments[0]).toMatchObject({ end: 2450 });
    expect(last.segments[0]!.lines[1]!.end).toBe(2450);
  });

  it('pulls back a padded previous segment when the next one now starts earlier', () => {
    const before = sample();
    const paddedEnd = before.segments[1]!.end;
    expect(paddedEnd).toBe(3400 + 600);
    const doc = retimeWord(before, 'w7', 3500, 4400);
    checkDocument(doc);
    expect(doc.segments[1]!.end).toBe(3500);
    expect(doc.segments[2]!.start).toBe(3500);
  });

  it('keeps a segment’s reading-time padding when its last word moves inwards', () => {
    const doc = retimeWord(sample(), 'w6', 3000, 3200);
    checkDocument(doc);
    expect(doc.segments[1]!.end).toBe(4000);
    expect(doc.segments[1]!.lines[0]!.end).toBe(3200);
  });
});

describe('speakers', () => {
  it('renames, and refuses an empty name', () => {
    const doc = renameSpeaker(sample(), 'A', ' Kennedy ');
    checkDocument(doc);
    expect(doc.speakers.find((s) => s.id === 'A')!.name).toBe('Kennedy');
    expect(() => renameSpeaker(sample(), 'A', ' ')).toThrow(/needs a name/);
  });

  it('reassigns a segment and its words, or clears its speaker', () => {
    const doc = setSegmentSpeaker(sample(), 's1', 'A');
    checkDocument(doc);
    expect(doc.segments[1]!.speaker).toBe('A');
    expect(doc.segments[1]!.lines[0]!.words.every((w) => w.speaker === 'A')).toBe(true);
    const none = setSegmentSpeaker(sample(), 's1', null);
    checkDocument(none);
    expect(none.segments[1]!.lines[0]!.words[0]!.speaker).toBeNull();
    expect(() => setSegmentSpeaker(sample(), 's1', 'Z')).toThrow(EditError);
  });

  it('adds a new speaker for a segment', () => {
    const doc = assignNewSpeaker(makeDocument([{ lines: [['hi']] }]), 's0', 'Host');
    checkDocument(doc);
    expect(doc.speakers).toEqual([{ id: 'speaker-1', name: 'Host' }]);
    expect(doc.segments[0]!.speaker).toBe('speaker-1');
  });

  it('merges one speaker into another everywhere', () => {
    const doc = mergeSpeakers(sample(), 'B', 'A');
    checkDocument(doc);
    expect(doc.speakers.map((s) => s.id)).toEqual(['A']);
    expect(doc.segments.every((s) => s.speaker === 'A')).toBe(true);
    expect(() => mergeSpeakers(sample(), 'A', 'A')).toThrow(/two different/);
  });
});
