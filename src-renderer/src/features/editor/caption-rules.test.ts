/**
 * The editor marks exactly the caption problems the engine's lint finds: same rules (overlap
 * included), same reading-speed formula, same messages, for the same document.
 */
import { describe, expect, it } from 'vitest';
import type { Segment, TranscriptDocument } from '../../../../src-main/contract/document';
import {
  makeDocument as makeEngineDocument,
  timedWords,
} from '../../../../src-main/common/captions/__fixtures__/make-document';
import { lintCaptions } from '../../../../src-main/common/captions/lint';
import { makeDocument } from './__fixtures__/make-document';
import { captionIssues } from './caption-rules';
import { mergeWithNext, setWordText, splitSegment } from './doc-ops';

/** The engine's lint of `doc` under its own rules, as messages per caption id. */
function engineMessages(doc: TranscriptDocument): Map<string, string[]> {
  const bySegment = new Map<string, string[]>();
  for (const v of lintCaptions(doc, doc.captions.rules)) {
    bySegment.set(v.segmentId, [...(bySegment.get(v.segmentId) ?? []), v.message]);
  }
  return bySegment;
}

/** The editor's marks for `doc`, as messages per caption id. */
function editorMessages(doc: TranscriptDocument): Map<string, string[]> {
  return new Map(
    [...captionIssues(doc)].map(([id, problems]) => [id, problems.map((p) => p.message)]),
  );
}

/** Captions placed exactly as given (lines of words 100 ms each), so they can break any rule. */
function placed(specs: { lines: string[]; start: number; end: number }[]): TranscriptDocument {
  let id = 0;
  const segments: Segment[] = specs.map((spec, index) => {
    let t = spec.start;
    const lines = spec.lines.map((text) => {
      const words = timedWords(text, { start: t, wordMs: 100 }).map((w) => ({
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
  return { ...makeEngineDocument([]), segments };
}

describe('captionIssues (the editor) and lintCaptions (the engine)', () => {
  it('agree on every rule, overlap and a zero-length caption included', () => {
    const doc = placed([
      { lines: ['This line is much longer than forty-two characters', 'two'], start: 0, end: 6000 },
      { lines: ['one', 'two', 'three'], start: 6080, end: 7500 },
      { lines: ['Far too much text for such a short time'], start: 7580, end: 9000 },
      { lines: ['Blink'], start: 9080, end: 9500 },
      { lines: ['Lingers'], start: 9500, end: 17_000 },
      { lines: ['Overlaps'], start: 16_900, end: 18_000 },
      { lines: ['Zero'], start: 18_100, end: 18_100 },
      { lines: ['Fine as it is.'], start: 18_200, end: 20_000 },
    ]);
    const engine = engineMessages(doc);
    expect(engine.get('c5')).toEqual(['Caption 6 starts 100 ms before caption 5 ends.']);
    expect(engine.get('c6')).toContain(
      'Caption 7 needs 4000 characters per second (4 in 0 ms); the limit is 17.',
    );
    expect(engine.has('c7')).toBe(false);
    expect(editorMessages(doc)).toEqual(engine);
  });

  it('agree on the documents of the editor tests', () => {
    const doc = makeDocument([
      { lines: [['Hello', 'there']], padMs: 700 },
      { lines: [['x'.repeat(45)], ['a'], ['b']] },
      { lines: [['c']] },
    ]);
    const engine = engineMessages(doc);
    expect([...engine.keys()]).toEqual(['s1', 's2']);
    expect(engine.get('s1')).toHaveLength(3);
    expect(editorMessages(doc)).toEqual(engine);
  });

  it('still agree after edits that change a caption or shift the captions after it', () => {
    let doc = makeDocument([
      { lines: [['Hello', 'there']], padMs: 700 },
      { lines: [['a', 'b', 'c', 'd']], padMs: 1000 },
      { lines: [['Bye']] },
    ]);
    expect(editorMessages(doc).get('s2')).toEqual([
      'Caption 3 is shown for 400 ms; the minimum is 1000 ms.',
    ]);
    expect(editorMessages(doc)).toEqual(engineMessages(doc));
    doc = setWordText(doc, 'w0', 'x'.repeat(45));
    expect(editorMessages(doc).get('s0')?.[0]).toMatch(/^Caption 1, line 1 has 51 characters/);
    expect(editorMessages(doc)).toEqual(engineMessages(doc));
    doc = splitSegment(doc, 'w4');
    expect(doc.segments).toHaveLength(4);
    expect(editorMessages(doc).get('s2')?.[0]).toMatch(/^Caption 4 is shown for 400 ms/);
    expect(editorMessages(doc)).toEqual(engineMessages(doc));
    doc = mergeWithNext(doc, doc.segments[1]!.id);
    expect(editorMessages(doc)).toEqual(engineMessages(doc));
  });
});
