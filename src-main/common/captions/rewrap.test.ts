import { describe, expect, it } from 'vitest';
import type { TranscriptDocument, Word } from '../../contract/document';
import {
  allWords,
  captionLines,
  editWords,
  makeDocument,
  timedWords,
} from './__fixtures__/make-document';
import { lintCaptions } from './lint';
import { broadcastRules } from './presets';
import { rewrapChanged } from './rewrap';
import { wrapDocument } from './wrap';

const rules = broadcastRules();

/** Five captions of one speaker, separated by one-second pauses. */
function story(): TranscriptDocument {
  const text =
    'Once upon a time there was a cat. | It lived in a small house by the sea. | ' +
    'Every morning it walked along the beach. | The fishermen gave it fish. | ' +
    'And it was happy there for many years.';
  return wrapDocument(makeDocument([timedWords(text, { gapMs: 20 })]), rules);
}

const byText = (text: string) => (word: Word) => word.text === text;

function findWord(doc: TranscriptDocument, match: (word: Word) => boolean): Word {
  const word = allWords(doc).find(match);
  if (!word) throw new Error('no such word');
  return word;
}

function retext(doc: TranscriptDocument, id: string, text: string): TranscriptDocument {
  return editWords(doc, (w) => (w.id === id ? { ...w, text, flags: ['edited'] } : w));
}

describe('rewrapChanged', () => {
  it('starts from five one-line captions', () => {
    expect(captionLines(story())).toEqual([
      ['Once upon a time there was a cat.'],
      ['It lived in a small house by the sea.'],
      ['Every morning it walked along the beach.'],
      ['The fishermen gave it fish.'],
      ['And it was happy there for many years.'],
    ]);
  });

  it('returns the document itself when no caption holds a changed word', () => {
    const doc = story();
    expect(rewrapChanged(doc, [], rules)).toBe(doc);
    expect(rewrapChanged(doc, ['no-such-word'], rules)).toBe(doc);
  });

  it('re-flows only the caption holding the changed word', () => {
    const doc = story();
    const small = findWord(doc, byText('small'));
    const edited = retext(doc, small.id, 'magnificent');
    const result = rewrapChanged(edited, [small.id], rules);
    expect(captionLines(result)).toEqual([
      ['Once upon a time there was a cat.'],
      ['It lived in a magnificent', 'house by the sea.'],
      ['Every morning it walked along the beach.'],
      ['The fishermen gave it fish.'],
      ['And it was happy there for many years.'],
    ]);
    for (const i of [0, 2, 3, 4]) expect(result.segments[i]).toBe(doc.segments[i]);
    expect(result.segments[1]).not.toBe(edited.segments[1]);
    expect(result.segments[1]?.id).toBe(doc.segments[1]?.id);
    expect(findWord(result, byText('magnificent'))).toMatchObject({
      id: small.id,
      start: small.start,
      end: small.end,
      flags: ['edited'],
    });
  });

  it('splits a caption that an edit made too long, leaving the others alone', () => {
    const doc = story();
    const fish = findWord(doc, byText('fish.'));
    const long = 'fish, bread, cheese and milk, and on Sundays even a little cream.';
    const edited = editWords(doc, (w) => (w.id === fish.id ? null : w));
    // Replace "fish." by many words (new ids, times inside the old word's span).
    const extra = long.split(' ').map((text, k): Word => ({
      ...fish,
      id: `new${k}`,
      text,
      start: fish.start + k * 60,
      end: fish.start + k * 60 + 50,
    }));
    const withWords = {
      ...edited,
      segments: edited.segments.map((s, i) =>
        i === 3
          ? { ...s, lines: [{ ...s.lines[0]!, words: [...(s.lines[0]?.words ?? []), ...extra] }] }
          : s,
      ),
    };
    const result = rewrapChanged(
      withWords,
      extra.map((w) => w.id),
      rules,
    );
    expect(captionLines(result)).toEqual([
      ['Once upon a time there was a cat.'],
      ['It lived in a small house by the sea.'],
      ['Every morning it walked along the beach.'],
      ['The fishermen gave it fish,', 'bread, cheese and milk,'],
      ['and on Sundays even a little cream.'],
      ['And it was happy there for many years.'],
    ]);
    for (const i of [0, 1, 2]) expect(result.segments[i]).toBe(doc.segments[i]);
    expect(result.segments[5]).toBe(doc.segments[4]);
    expect(
      lintCaptions(result, rules).filter((v) => v.rule === 'chars-per-line' || v.rule === 'lines'),
    ).toEqual([]);
  });

  it('joins a neighbour when an edit leaves a caption too short to stand alone', () => {
    // One sentence spoken without pauses, split into two captions by length.
    const text =
      'The committee that met on Tuesday in the town hall voted to approve the new budget ' +
      'for the coming year after a long debate about the roads and the library';
    const doc = wrapDocument(
      makeDocument([
        timedWords(text, { gapMs: 20 }),
        timedWords('Then everyone went home.', { start: 12_000 }),
      ]),
      rules,
    );
    expect(captionLines(doc)).toEqual([
      ['The committee that met on Tuesday in', 'the town hall voted to approve the new'],
      ['budget for the coming year after a long', 'debate about the roads and the library'],
      ['Then everyone went home.'],
    ]);
    // Delete all but "budget" from the second caption: it would be left on its own.
    const words = allWords(doc);
    const from = words.findIndex(byText('for'));
    const to = words.findIndex(byText('library'));
    const deleted = new Set(words.slice(from, to + 1).map((w) => w.id));
    const edited = editWords(doc, (w) => (deleted.has(w.id) ? null : w));
    const budget = findWord(edited, byText('budget'));
    const result = rewrapChanged(edited, [budget.id], rules);
    expect(captionLines(result)).toEqual([
      ['The committee that met on Tuesday in the', 'town hall voted to approve the new budget'],
      ['Then everyone went home.'],
    ]);
    expect(result.segments[0]?.id).toBe(doc.segments[0]?.id);
    expect(result.segments[1]).toBe(doc.segments[2]);
    expect(lintCaptions(result, rules)).toEqual([]);
  });

  it('keeps a short edited caption apart from a neighbour of another speaker', () => {
    const doc = wrapDocument(
      makeDocument([
        timedWords('Did you see the committee vote on the new budget for the coming year?', {
          speaker: 'A',
        }),
        timedWords('I did.', { start: 4000, speaker: 'B' }),
      ]),
      rules,
    );
    const did = findWord(doc, byText('did.'));
    const result = rewrapChanged(retext(doc, did.id, 'didn’t.'), [did.id], rules);
    expect(captionLines(result)).toEqual([
      ['Did you see the committee vote on', 'the new budget for the coming year?'],
      ['I didn’t.'],
    ]);
    expect(result.segments[0]).toBe(doc.segments[0]);
  });

  it('splits a caption where an edit changed a speaker', () => {
    const doc = story();
    const words = doc.segments[3]?.lines.flatMap((l) => l.words) ?? [];
    const fish = words.at(-1)!;
    const edited = editWords(doc, (w) => (w.id === fish.id ? { ...w, speaker: 'B' } : w));
    const result = rewrapChanged(edited, [fish.id], rules);
    expect(captionLines(result).slice(3, 5)).toEqual([['The fishermen gave it'], ['fish.']]);
    expect(result.segments.map((s) => s.speaker)).toEqual([null, null, null, null, 'B', null]);
    for (const i of [0, 1, 2]) expect(result.segments[i]).toBe(doc.segments[i]);
    expect(result.segments[5]).toBe(doc.segments[4]);
  });

  it('pulls back an extended end when the next caption now starts earlier', () => {
    const doc = wrapDocument(
      makeDocument([
        timedWords('Short sentence here.', { speaker: 'A' }),
        timedWords('Then the next one came.', { start: 1200, speaker: 'B' }),
        timedWords('And the last.', { start: 5000, speaker: 'A' }),
      ]),
      rules,
    );
    const [previous, next] = doc.segments;
    // 20 characters need 1177 ms; the caption extends until the gap before the next one.
    expect(previous?.end).toBe(1200 - rules.minGapMs);
    const first = next!.lines[0]!.words[0]!;
    const edited = editWords(doc, (w) => (w.id === first.id ? { ...w, start: w.start - 200 } : w));
    const result = rewrapChanged(edited, [first.id], rules);
    expect(result.segments[1]?.start).toBe(1000);
    expect(result.segments[0]).toEqual({ ...previous, end: 1000 - rules.minGapMs });
    expect(result.segments[0]?.lines).toBe(previous?.lines);
    expect(result.segments[2]).toBe(doc.segments[2]);
  });

  it('removes captions whose words were all deleted and moves the document edge tags', () => {
    const doc = story();
    const firstCaption = new Set(doc.segments[0]!.lines.flatMap((l) => l.words.map((w) => w.id)));
    const lastCaption = new Set(doc.segments[4]!.lines.flatMap((l) => l.words.map((w) => w.id)));
    const edited = editWords(doc, (w) =>
      firstCaption.has(w.id) || lastCaption.has(w.id) ? null : w,
    );
    const result = rewrapChanged(edited, [], rules);
    expect(captionLines(result)).toEqual([
      ['It lived in a small house by the sea.'],
      ['Every morning it walked along the beach.'],
      ['The fishermen gave it fish.'],
    ]);
    const words = allWords(result);
    expect(words[0]?.structure).toContain('document-first');
    expect(words.at(-1)?.structure).toContain('document-last');
    expect(words.filter((w) => w.structure.includes('document-first'))).toHaveLength(1);
    expect(words.filter((w) => w.structure.includes('document-last'))).toHaveLength(1);
    expect(result.segments[1]).toBe(doc.segments[2]);
  });
});
