import { describe, expect, it } from 'vitest';
import type { Correction, Segment, TranscriptDocument, Word } from '../../contract/document';
import {
  allWords,
  captionLines,
  makeDocument,
  timedWords,
  type MakeDocumentOptions,
  type TimedWordsOptions,
  type WordSpec,
} from '../../common/captions/__fixtures__/make-document';
import { broadcastRules } from '../captions/presets';
import { wrapDocument } from '../../common/captions/wrap';
import { EngineError } from '../errors';
import { buildDocument, NO_SPEECH_NOTE } from './build-document';
import { inSpan, mergeSpan, type TimeSpan } from './merge-span';
import { withStructure } from '../../common/document-structure';
import { validateDocument } from './validate';
import { seededRandom } from './__fixtures__/random-result';
import { options as buildOptions, result, seg, tok } from './__fixtures__/whisper-result';

const rules = broadcastRules();

/** Five captions of one speaker, separated by one-second pauses (word ids w0…w36). */
function story(): TranscriptDocument {
  const text =
    'Once upon a time there was a cat. | It lived in a small house by the sea. | ' +
    'Every morning it walked along the beach. | The fishermen gave it fish. | ' +
    'And it was happy there for many years.';
  return wrapDocument(makeDocument([timedWords(text, { gapMs: 20 })]), rules);
}

/** `timedWords` with ids `${prefix}0`, `${prefix}1`, … */
function named(prefix: string, text: string, options: TimedWordsOptions = {}): WordSpec[] {
  return timedWords(text, options).map((spec, i) => ({ ...spec, id: `${prefix}${i}` }));
}

/** A replacement document: one segment per group, like a re-run's output. */
function replacement(groups: WordSpec[][], options: MakeDocumentOptions = {}): TranscriptDocument {
  return makeDocument(groups, { rules, ...options });
}

/** `mergeSpan` with the broadcast rules; the result must validate. */
function merge(
  doc: TranscriptDocument,
  other: TranscriptDocument,
  span: TimeSpan,
  idPrefix = 'r1-',
) {
  const out = mergeSpan(doc, other, span, { rules, idPrefix });
  validateDocument(out.doc);
  return out;
}

const ids = (words: readonly Word[]) => words.map((word) => word.id);
const texts = (doc: TranscriptDocument) => allWords(doc).map((word) => word.text);
const times = (words: readonly Word[]) => words.map((word) => [word.start, word.end]);

function wordById(doc: TranscriptDocument, id: string): Word {
  const word = allWords(doc).find((w) => w.id === id);
  if (!word) throw new Error(`no word ${id}`);
  return word;
}

/** one 0–300, two 400–700, three 800–1100, four 1200–1500, five 1600–1900 (w0…w4). */
function counting(options: MakeDocumentOptions = {}): TranscriptDocument {
  return makeDocument([timedWords('one two three four five', { gapMs: 100 })], {
    rules,
    ...options,
  });
}

describe('mergeSpan', () => {
  it('replaces a caption in the middle and leaves the other captions as they were', () => {
    const doc = story();
    const before = structuredClone(doc);
    // The re-run covers more than the span: only its words inside the span are taken.
    const other = replacement([
      named('r', 'cat. It lived in a tiny hut by the sea. Every', { start: 3240, gapMs: 20 }),
    ]);
    const out = merge(doc, other, { startMs: 3560, endMs: 6420 });
    expect(captionLines(out.doc)).toEqual([
      ['Once upon a time there was a cat.'],
      ['It lived in a tiny hut by the sea.'],
      ['Every morning it walked along the beach.'],
      ['The fishermen gave it fish.'],
      ['And it was happy there for many years.'],
    ]);
    expect(out.replacedWordIds).toEqual(Array.from({ length: 9 }, (_, i) => `w${i + 8}`));
    expect(out.insertedWordIds).toEqual(Array.from({ length: 9 }, (_, i) => `r${i + 1}`));
    for (const i of [0, 2, 3, 4]) expect(out.doc.segments[i]).toBe(doc.segments[i]);
    const inserted = out.doc.segments[1]!.lines.flatMap((line) => line.words);
    expect(inserted.map((word) => [word.start, word.end])).toEqual(
      Array.from({ length: 9 }, (_, i) => [3560 + i * 320, 3860 + i * 320]),
    );
    expect(doc).toEqual(before);
  });

  it('replaces the very first and the very last words, moving the document edge tags', () => {
    const doc = story();
    const start = merge(
      doc,
      replacement([named('a', 'Once upon a time there lived a cat.', { gapMs: 20 })]),
      { startMs: 0, endMs: 2540 },
    );
    expect(captionLines(start.doc)[0]).toEqual(['Once upon a time there lived a cat.']);
    expect(allWords(start.doc)[0]).toMatchObject({
      id: 'a0',
      structure: expect.arrayContaining(['document-first']),
    });
    for (const i of [1, 2, 3, 4]) expect(start.doc.segments[i]).toBe(doc.segments[i]);

    const end = merge(
      doc,
      replacement([named('z', 'And it was happy there for ever.', { start: 13_280, gapMs: 20 })]),
      { startMs: 13_280, endMs: doc.durationMs },
    );
    expect(captionLines(end.doc)[4]).toEqual(['And it was happy there for ever.']);
    expect(allWords(end.doc).at(-1)).toMatchObject({
      id: 'z6',
      structure: expect.arrayContaining(['document-last']),
    });
    expect(allWords(end.doc).filter((w) => w.structure.includes('document-last'))).toHaveLength(1);
    for (const i of [0, 1, 2, 3]) expect(end.doc.segments[i]).toBe(doc.segments[i]);
  });

  it('takes or leaves a word the span cuts as a whole, by its midpoint', () => {
    const doc = counting();
    // 900–1300 cuts "three" (800–1100, middle 950: inside) and "four" (1200–1500, 1350: not).
    const out = merge(doc, replacement([[{ text: 'tree', start: 850, end: 1150, id: 't' }]]), {
      startMs: 900,
      endMs: 1300,
    });
    expect(texts(out.doc)).toEqual(['one', 'two', 'tree', 'four', 'five']);
    expect(out.replacedWordIds).toEqual(['w2']);
    expect(wordById(out.doc, 't')).toMatchObject({ start: 850, end: 1150 });
    expect(wordById(out.doc, 'w3')).toMatchObject({ start: 1200, end: 1500 });
    expect(inSpan(wordById(doc, 'w2'), { startMs: 900, endMs: 1300 })).toBe(true);
    expect(inSpan(wordById(doc, 'w3'), { startMs: 900, endMs: 1300 })).toBe(false);
    // Half-open: a middle on the start is inside, one on the end is not, so spans that touch
    // never both claim a word.
    const three = wordById(doc, 'w2');
    expect(inSpan(three, { startMs: 950, endMs: 2000 })).toBe(true);
    expect(inSpan(three, { startMs: 0, endMs: 950 })).toBe(false);
    const left = merge(doc, replacement([]), { startMs: 0, endMs: 950 });
    expect(left.replacedWordIds).toEqual(['w0', 'w1']);
  });

  it('clamps replacement words that poke past the neighbours, never moving those', () => {
    const doc = counting();
    const other = replacement([
      [
        { text: 'won', start: 0, end: 300, id: 'x0' },
        // Middle 800 and 1125: inside 750–1150, but reaching over "two" and "four".
        { text: 'tree', start: 600, end: 1000, id: 'x1' },
        { text: 'for', start: 1000, end: 1250, id: 'x2' },
        { text: 'fife', start: 1300, end: 1500, id: 'x3' },
      ],
    ]);
    const out = merge(doc, other, { startMs: 750, endMs: 1150 });
    expect(texts(out.doc)).toEqual(['one', 'two', 'tree', 'for', 'four', 'five']);
    expect(out.insertedWordIds).toEqual(['x1', 'x2']);
    expect(times(allWords(out.doc))).toEqual([
      [0, 300],
      [400, 700],
      [700, 1000],
      [1000, 1200],
      [1200, 1500],
      [1600, 1900],
    ]);

    // At the end the media end bounds the last word.
    const last = merge(doc, replacement([[{ text: 'fiver', start: 1600, end: 3500 }]]), {
      startMs: 1550,
      endMs: doc.durationMs,
    });
    expect(allWords(last.doc).at(-1)).toMatchObject({ text: 'fiver', start: 1600, end: 2900 });
  });

  it('removes the words of the span when the replacement has none there (silence)', () => {
    const doc = story();
    const empty = replacement([]);
    const whole = merge(doc, empty, { startMs: 3500, endMs: 6500 });
    expect(captionLines(whole.doc)).toEqual([
      ['Once upon a time there was a cat.'],
      ['Every morning it walked along the beach.'],
      ['The fishermen gave it fish.'],
      ['And it was happy there for many years.'],
    ]);
    expect(whole.replacedWordIds).toHaveLength(9);
    expect(whole.insertedWordIds).toEqual([]);
    expect(whole.doc.segments[0]).toBe(doc.segments[0]);
    for (const i of [1, 2, 3]) expect(whole.doc.segments[i]).toBe(doc.segments[i + 1]);

    // A caption that loses some words is re-flowed and starts with its new first word.
    const part = merge(doc, empty, { startMs: 3500, endMs: 4510 });
    expect(part.replacedWordIds).toEqual(['w8', 'w9', 'w10']);
    expect(captionLines(part.doc)[1]).toEqual(['a small house by the sea.']);
    expect(part.doc.segments[1]).toMatchObject({ start: 4520 });

    // Everything gone: a document without captions.
    const all = merge(doc, empty, { startMs: 0, endMs: doc.durationMs });
    expect(all.doc.segments).toEqual([]);
    expect(all.replacedWordIds).toHaveLength(37);
  });

  it('inserts words into a pause between captions as a caption of their own', () => {
    const doc = wrapDocument(
      makeDocument([timedWords('We start here.'), timedWords('And we end here.', { start: 8000 })]),
      rules,
    );
    const other = replacement([named('n', 'Somebody coughs loudly nearby.', { start: 3000 })]);
    const out = merge(doc, other, { startMs: 2000, endMs: 6000 });
    expect(captionLines(out.doc)).toEqual([
      ['We start here.'],
      ['Somebody coughs loudly nearby.'],
      ['And we end here.'],
    ]);
    expect(out.replacedWordIds).toEqual([]);
    expect(out.insertedWordIds).toEqual(['n0', 'n1', 'n2', 'n3']);
    expect(out.doc.segments[0]).toBe(doc.segments[0]);
    expect(out.doc.segments[2]).toBe(doc.segments[1]);
    expect(out.doc.segments[1]).toMatchObject({ start: 3000, speaker: null });
  });

  it('inserts words into a pause inside a caption in time order', () => {
    const doc = makeDocument([timedWords('one two |400 three four')], { rules });
    const out = merge(doc, replacement([[{ text: 'uh', start: 700, end: 900, id: 'u' }]]), {
      startMs: 650,
      endMs: 950,
    });
    expect(captionLines(out.doc)).toEqual([['one two uh three four']]);
    expect(out.doc.segments).toHaveLength(1);
  });

  it('fills a document without words, dropping its no-speech note', () => {
    const doc = { ...makeDocument([], { rules, durationMs: 5000 }), notes: [NO_SPEECH_NOTE] };
    const out = merge(doc, replacement([named('h', 'Hello there.', { start: 1000 })]), {
      startMs: 0,
      endMs: 5000,
    });
    expect(captionLines(out.doc)).toEqual([['Hello there.']]);
    expect(out.doc.notes).toEqual([]);
    expect(allWords(out.doc).map((w) => w.structure)).toEqual([
      ['line-first', 'segment-first', 'document-first'],
      ['line-last', 'segment-last', 'document-last'],
    ]);
  });

  it('makes clashing ids unique with the prefix, a number after it if need be', () => {
    const doc = makeDocument(
      [
        [
          ...timedWords('one two three four', { gapMs: 100 }).map((s, i) => ({
            ...s,
            id: `w${i}`,
          })),
          { text: 'five', start: 1600, end: 1900, id: 'r1-w0' },
        ],
      ],
      { rules },
    );
    const other = replacement([
      [
        { text: 'tree', start: 800, end: 950, id: 'w0' },
        // The id of the replaced word: still a clash, an id never changes meaning.
        { text: 'and', start: 950, end: 1050, id: 'w2' },
        { text: 'free', start: 1050, end: 1100, id: 'new' },
      ],
    ]);
    const out = merge(doc, other, { startMs: 750, endMs: 1150 });
    expect(out.insertedWordIds).toEqual(['r1-w0-2', 'r1-w2', 'new']);
    expect(ids(allWords(out.doc))).toEqual(['w0', 'w1', 'r1-w0-2', 'r1-w2', 'new', 'w3', 'r1-w0']);

    // An empty prefix still gives unique ids.
    const bare = merge(doc, other, { startMs: 750, endMs: 1150 }, '');
    expect(bare.insertedWordIds).toEqual(['w0-2', 'w2-2', 'new']);
  });

  it("gives inserted words the speakers of the words they replace, the replacement's flags", () => {
    const speakers = [
      { id: 'A', name: 'Ann' },
      { id: 'B', name: 'Bob' },
    ];
    const doc = wrapDocument(
      makeDocument(
        [
          timedWords('Hello from A.', { speaker: 'A' }),
          timedWords('And hello from B.', { start: 1000, speaker: 'B' }),
        ],
        { rules, speakers },
      ),
      rules,
    );
    const other = replacement(
      [
        [
          { text: 'from', start: 300, end: 600, speaker: 'X', flags: ['low-confidence'] },
          { text: 'Ay.', start: 600, end: 900, speaker: 'X' },
          { text: 'And', start: 1000, end: 1300, speaker: 'X' },
          { text: 'hullo', start: 1300, end: 1600, speaker: 'X', confidence: 0.4 },
        ],
      ],
      { speakers: [{ id: 'X', name: 'Someone' }] },
    );
    const out = merge(doc, other, { startMs: 300, endMs: 1600 });
    const inserted = out.insertedWordIds.map((id) => wordById(out.doc, id));
    expect(inserted.map((w) => w.speaker)).toEqual(['A', 'A', 'B', 'B']);
    expect(inserted.map((w) => w.flags)).toEqual([['low-confidence'], [], [], []]);
    expect(inserted.map((w) => w.confidence)).toEqual([0.95, 0.95, 0.95, 0.4]);
    expect(out.doc.speakers).toEqual(speakers);
    expect(captionLines(out.doc)).toEqual([['Hello from Ay.'], ['And hullo from B.']]);
    expect(out.doc.segments.map((s) => s.speaker)).toEqual(['A', 'B']);

    // Nothing replaced: the nearer neighbour's speaker.
    const apart = wrapDocument(
      makeDocument(
        [
          timedWords('We start here.', { speaker: 'A' }),
          timedWords('And we end here.', { start: 8000, speaker: 'B' }),
        ],
        { rules, speakers },
      ),
      rules,
    );
    const early = merge(apart, replacement([named('e', 'Early words.', { start: 3000 })]), {
      startMs: 2000,
      endMs: 4000,
    });
    expect(allWords(early.doc).map((w) => w.speaker)).toEqual([
      'A',
      'A',
      'A',
      'A',
      'A',
      'B',
      'B',
      'B',
      'B',
    ]);
    const late = merge(apart, replacement([named('l', 'Late words.', { start: 6000 })]), {
      startMs: 5000,
      endMs: 7000,
    });
    expect(late.insertedWordIds.map((id) => wordById(late.doc, id).speaker)).toEqual(['B', 'B']);
    expect(captionLines(late.doc)).toEqual([
      ['We start here.'],
      ['Late words.'],
      ['And we end here.'],
    ]);
  });

  it('drops corrections of removed words and carries those of inserted words', () => {
    const kept: Correction = { wordId: 'w0', before: 'won', after: 'one', rule: 'won → one' };
    const lost: Correction = { wordId: 'w2', before: 'tree', after: 'three', rule: 'tree → three' };
    const doc = { ...counting(), corrections: [kept, lost] };
    const other = {
      ...replacement([
        [
          { text: 'three', start: 800, end: 1100, id: 'w0', flags: ['corrected'] },
          { text: 'four', start: 1200, end: 1500, id: 'w1', flags: ['corrected'] },
        ],
      ]),
      corrections: [
        { wordId: 'w0', before: 'tree', after: 'three', rule: 'tree → three' },
        { wordId: 'w1', before: 'for', after: 'four', rule: 'for → four' },
      ],
    };
    const out = merge(doc, other, { startMs: 750, endMs: 1150 });
    expect(out.insertedWordIds).toEqual(['r1-w0']);
    expect(out.doc.corrections).toEqual([
      kept,
      { wordId: 'r1-w0', before: 'tree', after: 'three', rule: 'tree → three' },
    ]);
    expect(wordById(out.doc, 'r1-w0').flags).toEqual(['corrected']);
  });

  it('returns the document itself when the span holds no words of either', () => {
    const doc = story();
    const out = mergeSpan(
      doc,
      replacement([]),
      { startMs: 2600, endMs: 3500 },
      { rules, idPrefix: 'r-' },
    );
    expect(out).toEqual({ doc, replacedWordIds: [], insertedWordIds: [] });
    expect(out.doc).toBe(doc);
  });

  it('rejects a span that ends before it starts or is not a number', () => {
    const doc = story();
    for (const span of [
      { startMs: 10, endMs: 5 },
      { startMs: Number.NaN, endMs: 5 },
      { startMs: 0, endMs: Number.POSITIVE_INFINITY },
    ]) {
      expect(() => mergeSpan(doc, doc, span, { rules, idPrefix: 'r-' })).toThrow(EngineError);
    }
  });

  it('keeps loose caption bounds valid around the inserted words', () => {
    // Built straight from Whisper: the second segment starts 600 ms before its first word.
    const raw = buildDocument(
      result([
        seg(0, 2000, [tok(' one', 100, 500), tok(' two', 600, 900)]),
        seg(2000, 4000, [tok(' three', 2600, 3000)]),
      ]),
      { ...buildOptions, speakerOf: (start) => (start < 2000 ? 'A' : 'B') },
    );
    // And the first segment's line reaches past its last word, to its end.
    raw.segments[0]!.lines[0]!.end = 2000;
    const doc = validateDocument(raw);
    const span = { startMs: 950, endMs: 2500 };

    // Nearer "two" (A): joins the first caption; the second, reaching back over it, is re-flowed.
    const a = merge(doc, replacement([[{ text: 'uh', start: 1000, end: 2400, id: 'u' }]]), span);
    expect(captionLines(a.doc)).toEqual([['one two uh'], ['three']]);
    expect(a.doc.segments.map((s) => [s.speaker, s.start])).toEqual([
      ['A', 100],
      ['B', 2600],
    ]);

    // Nearer "three" (B): joins the second caption; the first ends earlier, and so does its line.
    const b = merge(doc, replacement([[{ text: 'uh', start: 1500, end: 2400, id: 'u' }]]), span);
    expect(captionLines(b.doc)).toEqual([['one two'], ['uh three']]);
    const first = b.doc.segments[0]!;
    expect([first.end, first.lines[0]!.end]).toEqual([
      1500 - rules.minGapMs,
      1500 - rules.minGapMs,
    ]);
    expect(first.lines[0]!.words).toBe(doc.segments[0]!.lines[0]!.words);
  });
});

// --- Property test -------------------------------------------------------------------------

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const between = (rng: Rng, lo: number, hi: number) => int(rng, lo, Math.max(lo, hi));

/**
 * A random valid document: 0–6 segments of 1–6 words (some of no length), one or two lines
 * each, bounds tight or loose, speakers or none, some corrections; wrapped half the time.
 */
function randomDocument(rng: Rng): TranscriptDocument {
  const speakers =
    rng() < 0.5
      ? []
      : [
          { id: 'A', name: 'Ann' },
          { id: 'B', name: 'Bob' },
        ];
  const groups: Word[][] = [];
  let clock = int(rng, 0, 1500);
  let n = 0;
  for (let s = int(rng, 0, 6); s > 0; s--) {
    const speaker = speakers.length > 0 ? speakers[int(rng, 0, 1)]!.id : null;
    const words: Word[] = [];
    for (let w = int(rng, 1, 6); w > 0; w--) {
      if (words.length > 0) clock += rng() < 0.3 ? 0 : int(rng, 1, 400);
      const length = rng() < 0.1 ? 0 : int(rng, 1, 500);
      words.push({
        id: `w${n++}`,
        text: ['so', 'we', 'went', 'home,', 'then', 'slept.'][int(rng, 0, 5)]!,
        start: clock,
        end: clock + length,
        confidence: rng(),
        speaker,
        flags: rng() < 0.2 ? ['low-confidence'] : [],
        structure: [],
        tags: [],
      });
      clock += length;
    }
    groups.push(words);
    clock += rng() < 0.2 ? 0 : int(rng, 1, 3000);
  }
  const durationMs = clock + int(rng, 0, 2000);
  const segments: Segment[] = [];
  let floor = 0;
  groups.forEach((words, g) => {
    const ceiling = groups[g + 1]?.[0]?.start ?? durationMs;
    const first = words[0]!;
    const last = words.at(-1)!;
    const start = rng() < 0.5 ? first.start : between(rng, floor, first.start);
    const end = rng() < 0.5 ? last.end : between(rng, last.end, ceiling);
    const cut = int(rng, 1, words.length);
    const parts = [words.slice(0, cut), words.slice(cut)].filter((part) => part.length > 0);
    let lineFloor = start;
    const lines = parts.map((part, p) => {
      const lineCeiling = parts[p + 1]?.[0]?.start ?? end;
      const lineStart = rng() < 0.5 ? part[0]!.start : between(rng, lineFloor, part[0]!.start);
      const lineEnd = rng() < 0.5 ? part.at(-1)!.end : between(rng, part.at(-1)!.end, lineCeiling);
      lineFloor = lineEnd;
      return { start: lineStart, end: lineEnd, words: part };
    });
    segments.push({ id: `s${g}`, start, end, speaker: first.speaker, lines });
    floor = end;
  });
  const all = groups.flat();
  const corrections = all
    .filter(() => rng() < 0.2)
    .map((word) => ({ wordId: word.id, before: 'x', after: word.text, rule: 'x' }));
  const doc = withStructure({
    ...makeDocument([], { rules, speakers, durationMs }),
    segments,
    corrections,
  });
  return rng() < 0.5 ? wrapDocument(doc, rules) : doc;
}

/** Random re-run words around `span`, ids that often clash, speaker X or none. */
function randomReplacement(rng: Rng, span: TimeSpan): TranscriptDocument {
  const specs: WordSpec[] = [];
  let clock = Math.max(0, span.startMs - int(rng, 0, 1000));
  for (let w = int(rng, 0, 8); w > 0; w--) {
    clock += rng() < 0.3 ? 0 : int(rng, 1, 600);
    const length = rng() < 0.1 ? 0 : int(rng, 1, 800);
    specs.push({
      text: ['so', 'we', 'go', 'home.'][int(rng, 0, 3)]!,
      start: clock,
      end: clock + length,
      id: rng() < 0.5 ? `w${int(rng, 0, 30)}` : `n${w}`,
      speaker: rng() < 0.5 ? 'X' : null,
      confidence: rng(),
      flags: rng() < 0.3 ? ['corrected'] : [],
    });
    clock += length;
  }
  // Ids within the replacement are unique, as in any valid document.
  const seen = new Set<string>();
  const unique = specs.map((spec) => {
    let id = spec.id!;
    while (seen.has(id)) id += 'x';
    seen.add(id);
    return { ...spec, id };
  });
  return replacement([unique], { speakers: [{ id: 'X', name: 'X' }] });
}

function randomSpan(rng: Rng, doc: TranscriptDocument): TimeSpan {
  const words = allWords(doc);
  if (words.length > 0 && rng() < 0.4) {
    // From one word's start to another's end.
    const a = int(rng, 0, words.length - 1);
    const b = int(rng, a, Math.min(words.length - 1, a + 5));
    return { startMs: words[a]!.start, endMs: words[b]!.end };
  }
  const startMs = int(rng, 0, doc.durationMs);
  return { startMs, endMs: rng() < 0.1 ? startMs : startMs + int(rng, 1, 5000) };
}

const comparable = (word: Word) => ({
  id: word.id,
  text: word.text,
  start: word.start,
  end: word.end,
  speaker: word.speaker,
  confidence: word.confidence,
  flags: word.flags,
});

/** What is wrong with merging into `doc`, or undefined. */
function problemWith(doc: TranscriptDocument, other: TranscriptDocument, span: TimeSpan) {
  const out = mergeSpan(doc, other, span, { rules, idPrefix: 'r-' });
  try {
    validateDocument(out.doc);
  } catch (error) {
    return (error as Error).message;
  }
  const before = allWords(doc);
  const after = allWords(out.doc);
  const inserted = new Set(out.insertedWordIds);
  const outside = before.filter((word) => !inSpan(word, span));
  const replaced = before.filter((word) => inSpan(word, span));
  const incoming = allWords(other).filter((word) => inSpan(word, span));
  const kept = after.filter((word) => !inserted.has(word.id));
  const added = after.filter((word) => inserted.has(word.id));
  if (JSON.stringify(kept.map(comparable)) !== JSON.stringify(outside.map(comparable))) {
    return 'the words outside the span changed';
  }
  if (after.some((word) => inSpan(word, span) && !inserted.has(word.id))) {
    return 'a word inside the span is not from the replacement';
  }
  if (JSON.stringify(ids(added)) !== JSON.stringify(out.insertedWordIds)) {
    return 'the inserted ids are not the inserted words in order';
  }
  const same = (a: Word, b: Word) =>
    a.text === b.text && a.confidence === b.confidence && a.flags.join() === b.flags.join();
  if (added.length !== incoming.length || added.some((word, i) => !same(word, incoming[i]!))) {
    return 'the inserted words are not the replacement words of the span';
  }
  if (JSON.stringify(out.replacedWordIds) !== JSON.stringify(ids(replaced))) {
    return 'wrong replaced ids';
  }
  const speakers = new Set(doc.speakers.map((speaker) => speaker.id));
  if (added.some((word) => word.speaker !== null && !speakers.has(word.speaker))) {
    return 'an inserted word names a speaker the document does not have';
  }
  if (out.doc.speakers !== doc.speakers) return 'the speakers changed';
  const present = new Set(ids(after));
  if (out.doc.corrections.some((c) => !present.has(c.wordId))) {
    return 'a correction of a word that is not there';
  }
  const retagged = allWords(withStructure(out.doc)).map((word) => word.structure.join());
  if (retagged.join('|') !== after.map((word) => word.structure.join()).join('|')) {
    return 'stale structure tags';
  }
  return undefined;
}

describe('mergeSpan (property)', () => {
  it('validates, keeps every word outside the span and takes every word inside from the replacement', () => {
    const rng = seededRandom(20_250_611);
    for (let run = 0; run < 1500; run++) {
      const doc = randomDocument(rng);
      const span = randomSpan(rng, doc);
      const other = randomReplacement(rng, span);
      const problem = problemWith(doc, other, span);
      expect(problem, `run ${run}: ${JSON.stringify({ span, doc, other })}`).toBeUndefined();
    }
  });
});
