import { describe, expect, it } from 'vitest';
import type { TranscriptDocument } from '../../contract/document';
import { buildDocument } from './build-document';
import { removeWords } from './remove-words';
import { validateDocument } from './validate';
import { options, result, seg, tok } from './__fixtures__/whisper-result';

function sample(): TranscriptDocument {
  const doc = buildDocument(
    result([
      seg(0, 2000, [
        tok(' a', 100, 300),
        tok(' b', 300, 600),
        tok(' c', 700, 900),
        tok(' d', 900, 1200),
      ]),
      seg(2000, 4000, [tok(' e', 2100, 2500)]),
    ]),
    options,
  );
  const words = doc.segments[0]!.lines[0]!.words;
  doc.segments[0]!.lines = [
    { start: 50, end: 650, words: words.slice(0, 2) },
    { start: 650, end: 1300, words: words.slice(2) },
  ];
  doc.corrections = [{ wordId: 'w5', before: 'E', after: 'e', rule: 'x' }];
  return doc;
}

describe('removeWords', () => {
  it('drops empty lines and segments and their corrections', () => {
    const doc = sample();
    const before = structuredClone(doc);
    const out = removeWords(doc, new Set(['w1', 'w2', 'w5']));
    expect(out.segments).toHaveLength(1);
    expect(out.segments[0]!.lines).toHaveLength(1);
    // The segment lost its first words: it now starts with its new first line.
    expect(out.segments[0]).toMatchObject({ start: 650, end: 2000 });
    expect(out.segments[0]!.lines[0]).toMatchObject({ start: 650, end: 1300 });
    expect(out.corrections).toEqual([]);
    expect(doc).toEqual(before);
    validateDocument(out);
  });

  it('shrinks only the side of a line or segment that lost words', () => {
    const out = removeWords(sample(), new Set(['w4']));
    expect(out.segments[0]!.lines[1]).toMatchObject({ start: 650, end: 900 });
    expect(out.segments[0]).toMatchObject({ start: 0, end: 900 });
    const first = removeWords(sample(), new Set(['w1']));
    expect(first.segments[0]!.lines[0]).toMatchObject({ start: 300, end: 650 });
    expect(first.segments[0]).toMatchObject({ start: 300, end: 2000 });
  });

  it('recomputes structure tags', () => {
    const out = removeWords(sample(), new Set(['w1', 'w5']));
    const words = out.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
    expect(words[0]!.structure).toEqual([
      'line-first',
      'line-last',
      'segment-first',
      'document-first',
    ]);
    expect(words.at(-1)!.structure).toEqual(['line-last', 'segment-last', 'document-last']);
  });

  it('returns the document itself when nothing is removed', () => {
    const doc = sample();
    expect(removeWords(doc, new Set())).toBe(doc);
  });
});
