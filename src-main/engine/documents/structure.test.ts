import { describe, expect, it } from 'vitest';
import type { TranscriptDocument, Word } from '../../contract/document';
import { buildDocument } from './build-document';
import { withStructure } from '../../common/document-structure';
import { options, result, seg, tok } from './__fixtures__/whisper-result';

function twoSegments(): TranscriptDocument {
  const doc = buildDocument(
    result([
      seg(0, 2000, [tok(' a', 0, 100), tok(' b', 100, 200), tok(' c', 200, 300)]),
      seg(2000, 4000, [tok(' d', 2000, 2100)]),
    ]),
    options,
  );
  // Re-wrap the first segment into two lines, as the caption wrapper would.
  const [first] = doc.segments;
  const words = first!.lines[0]!.words;
  first!.lines = [
    { start: 0, end: 200, words: words.slice(0, 2) },
    { start: 200, end: 300, words: words.slice(2) },
  ];
  return doc;
}

const tags = (doc: TranscriptDocument) =>
  Object.fromEntries(
    doc.segments
      .flatMap((s) => s.lines.flatMap((l) => l.words))
      .map((w: Word) => [w.text, w.structure]),
  );

describe('withStructure', () => {
  it('recomputes line, segment and document positions after an edit', () => {
    const doc = twoSegments();
    const before = structuredClone(doc);
    const out = withStructure(doc);
    expect(tags(out)).toEqual({
      a: ['line-first', 'segment-first', 'document-first'],
      b: ['line-last'],
      c: ['line-first', 'line-last', 'segment-last'],
      d: ['line-first', 'line-last', 'segment-first', 'segment-last', 'document-last'],
    });
    expect(doc).toEqual(before);
  });

  it('leaves a document without words as it is', () => {
    const doc = withStructure({ ...twoSegments(), segments: [] });
    expect(doc.segments).toEqual([]);
  });
});
