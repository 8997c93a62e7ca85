import { describe, expect, it, vi } from 'vitest';
import { documentSchemaId, type TranscriptDocument, type Word } from '../../contract/document';
import { isEngineError } from '../errors';
import { buildDocument, emptyDocument, NO_SPEECH_NOTE } from './build-document';
import { validateDocument } from './validate';
import { jfk, options, result, seg, special, tok, untimed } from './__fixtures__/whisper-result';

const words = (doc: TranscriptDocument): Word[] =>
  doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
const texts = (doc: TranscriptDocument) => words(doc).map((w) => w.text);
const times = (doc: TranscriptDocument) => words(doc).map((w) => [w.start, w.end]);

describe('buildDocument', () => {
  it('turns the JFK tokens into words with attached punctuation and merged sub-words', () => {
    const doc = buildDocument(jfk, options);
    expect(texts(doc).join(' ')).toBe(
      'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.',
    );
    expect(doc.segments).toHaveLength(1);
    expect(doc.segments[0]!.lines).toHaveLength(1);
    expect(doc.segments[0]).toMatchObject({ id: 's1', start: 0, end: 11_000, speaker: null });
    expect(doc.segments[0]!.lines[0]).toMatchObject({ start: 320, end: 10_000 });
    expect(validateDocument(doc)).toEqual(doc);
  });

  it('gives words stable ids, times from their tokens and empty flags', () => {
    const [and, , , , americans] = words(buildDocument(jfk, options));
    expect(and).toEqual({
      id: 'w1',
      text: 'And',
      start: 320,
      end: 550,
      confidence: 0.97,
      speaker: null,
      flags: [],
      structure: ['line-first', 'segment-first', 'document-first'],
      tags: [],
    });
    // " Ameri" + "cans" + ",": the comma's probability and zero-length time do not count.
    expect(americans).toMatchObject({
      id: 'w5',
      text: 'Americans,',
      start: 1600,
      end: 2300,
      confidence: Number(Math.sqrt(0.91 * 0.99).toFixed(4)),
    });
  });

  it('fills in the head of the document from the options and the result', () => {
    const doc = buildDocument(jfk, options);
    expect(doc).toMatchObject({
      $schema: documentSchemaId,
      version: 1,
      language: 'en',
      durationMs: 11_000,
      speakers: [],
      captions: options.captions,
      corrections: [],
      targetCounts: {},
      notes: [],
      source: {
        modelId: 'base.en',
        modelSha256: 'a'.repeat(64),
        engineVersion: '0.1.0',
        params: { language: 'en', tokenTimestamps: true },
        createdAt: '2025-01-02T03:04:05.000Z',
      },
    });
    expect(doc.captions).not.toBe(options.captions);
  });

  it('tags the last word of the document', () => {
    const last = words(buildDocument(jfk, options)).at(-1)!;
    expect(last.text).toBe('country.');
    expect(last.structure).toEqual(['line-last', 'segment-last', 'document-last']);
  });

  it('drops control tokens, also ones that arrive without the special flag', () => {
    const doc = buildDocument(
      result([
        seg(0, 2000, [
          special('[_BEG_]', 0),
          tok(' Hello', 100, 500),
          { ...special('[_TT_50]', 500), special: false },
          { ...special('<|endoftext|>'), special: false },
          tok(' world', 600, 900),
        ]),
      ]),
      options,
    );
    expect(texts(doc)).toEqual(['Hello', 'world']);
  });

  it('attaches quotes, brackets, clitics and French spaced punctuation the right way', () => {
    const doc = buildDocument(
      result([
        seg(0, 5000, [
          tok(' He', 0, 100),
          tok("'s", 100, 200),
          tok(' said', 200, 300),
          tok(' "', 300, 300),
          tok('hello', 300, 500),
          tok('."', 500, 500),
          tok(' (', 600, 600),
          tok(' twice', 600, 800),
          tok(')', 800, 800),
          tok(' Quoi', 900, 1100),
          tok(' ?', 1100, 1100),
          tok(' -', 1200, 1250),
          tok(' ¿', 1300, 1300),
          tok('Qué', 1300, 1500),
          tok('?', 1500, 1500),
        ]),
      ]),
      options,
    );
    expect(texts(doc)).toEqual([
      "He's",
      'said',
      '"hello."',
      '(twice)',
      'Quoi\u00A0?',
      '-',
      '¿Qué?',
    ]);
  });

  it('spreads a segment over its words by character count when token times are off', () => {
    const doc = buildDocument(
      result([seg(1000, 2000, [untimed(' a'), untimed(' bbb'), untimed(' cccccc')])]),
      options,
    );
    expect(times(doc)).toEqual([
      [1000, 1100],
      [1100, 1400],
      [1400, 2000],
    ]);
  });

  it('places untimed words between their timed neighbours', () => {
    const doc = buildDocument(
      result([seg(0, 3000, [tok(' one', 100, 500), untimed(' two'), tok(' three', 1500, 2000)])]),
      options,
    );
    expect(times(doc)).toEqual([
      [100, 500],
      [500, 1500],
      [1500, 2000],
    ]);
  });

  it('repairs times that run backwards, overlap or leave the segment', () => {
    const doc = buildDocument(
      result([
        seg(1000, 3000, [
          tok(' early', 500, 1200), // starts before its segment
          tok(' over', 1100, 1800), // overlaps the word before: that word is cut back
          tok(' back', 1500, 1400), // ends before it starts: read as 1400–1500
          tok(' late', 2500, 3600), // ends after its segment
        ]),
      ]),
      options,
    );
    expect(times(doc)).toEqual([
      [1000, 1100],
      [1100, 1400],
      [1400, 1500],
      [2500, 3000],
    ]);
    validateDocument(doc);
  });

  it('gives a zero-length word 10 ms from the free time around it', () => {
    const doc = buildDocument(
      result([
        seg(0, 3000, [tok(' a', 100, 500), tok(' b', 500, 500), tok(' c', 500, 900)]),
        seg(3000, 4000, [tok(' d', 3200, 3500), tok(' e', 3990, 3990)]),
      ]),
      options,
    );
    // "b" has no free time after it ("c" starts at 500) or before it, so its neighbours move up.
    expect(times(doc)).toEqual([
      [100, 500],
      [500, 510],
      [510, 900],
      [3200, 3500],
      [3990, 4000],
    ]);
  });

  it('keeps words valid, if shorter than 10 ms, when the segment has no room', () => {
    const doc = buildDocument(
      result([seg(100, 115, [tok(' a', 100, 100), tok(' b', 100, 100), tok(' c', 100, 100)])]),
      options,
    );
    const spans = times(doc);
    expect(spans.every(([start, end]) => start! >= 100 && end! <= 115 && end! >= start!)).toBe(
      true,
    );
    // 15 ms cannot hold 3 × 10 ms: only the free time after the last word is used.
    expect(spans.map(([start, end]) => end! - start!)).toEqual([0, 0, 10]);
    validateDocument(doc);
  });

  it('puts a character split over tokens back together (the addon carries the bytes forward)', () => {
    // "café" as the addon reports it: "\xC3" alone decodes to nothing, so its token is ''.
    const doc = buildDocument(
      result([
        seg(0, 1000, [
          tok(' caf', 0, 300, 0.9),
          tok('', 300, 350, 0.5),
          tok('é', 350, 400, 0.9),
          tok(' au', 450, 600),
          tok(' lait', 600, 900),
        ]),
      ]),
      options,
    );
    expect(texts(doc)).toEqual(['café', 'au', 'lait']);
    expect(words(doc)[0]).toMatchObject({
      start: 0,
      end: 400,
      confidence: Number(Math.cbrt(0.9 * 0.5 * 0.9).toFixed(4)),
    });
  });

  it('rebuilds characters decoded per token as U+FFFD from the segment text', () => {
    const doc = buildDocument(
      result([
        seg(
          0,
          2000,
          [
            tok(' caf', 0, 300),
            tok('\uFFFD', 300, 350),
            tok('\uFFFD', 350, 400),
            tok(' \uFFFD', 500, 600),
            tok('\uFFFDt', 600, 800),
            tok('\uFFFD\uFFFD', 800, 900),
          ],
          ' café été',
        ),
      ]),
      options,
    );
    expect(texts(doc)).toEqual(['café', 'été']);
    expect(times(doc)).toEqual([
      [0, 400],
      [500, 900],
    ]);
  });

  it('keeps U+FFFD when the tokens do not line up with the segment text', () => {
    const doc = buildDocument(
      result([seg(0, 1000, [tok(' caf', 0, 300), tok('\uFFFD', 300, 400)], ' something else')]),
      options,
    );
    expect(texts(doc)).toEqual(['caf\uFFFD']);
  });

  it('makes phrases of Japanese, which has no spaces, ending them at clause punctuation', () => {
    const doc = buildDocument(
      result(
        [
          seg(
            0,
            3000,
            [
              tok('こん', 0, 300),
              tok('にち', 300, 600),
              tok('\uFFFD', 600, 650),
              tok('\uFFFD、', 650, 700),
              tok('世界', 900, 1400),
              tok('。', 1400, 1400),
              tok('元気', 1600, 2000),
              tok('です', 2000, 2300),
              tok('か', 2300, 2400),
            ],
            'こんにちは、世界。元気ですか',
          ),
        ],
        'ja',
      ),
      options,
    );
    expect(texts(doc)).toEqual(['こんにちは、', '世界。', '元気ですか']);
    expect(doc.language).toBe('ja');
  });

  it('skips segments without words and drops [BLANK_AUDIO]', () => {
    const doc = buildDocument(
      result([
        seg(0, 1000, [special('[_BEG_]', 0), special('[_TT_100]', 1000)]),
        seg(1000, 2000, [tok(' [', 1000, 1100), tok('BLANK_AUDIO]', 1100, 2000)]),
        seg(2000, 3000, [tok(' Hi', 2100, 2400)]),
        seg(3000, 4000, [tok(' ', 3000, 3100)]),
      ]),
      options,
    );
    expect(doc.segments.map((s) => s.id)).toEqual(['s1']);
    expect(doc.segments[0]).toMatchObject({ start: 2000, end: 3000 });
    expect(texts(doc)).toEqual(['Hi']);
  });

  it('returns the empty document when nothing was said', () => {
    const doc = buildDocument(
      result([seg(0, 30_000, [tok(' [BLANK_AUDIO]', 0, 30_000)])], null),
      options,
    );
    expect(doc).toEqual(emptyDocument({ ...options, language: null }));
    expect(doc.notes).toEqual([NO_SPEECH_NOTE]);
  });

  it('keeps segments in order, apart and inside the media', () => {
    const doc = buildDocument(
      result([
        seg(0, 5000, [tok(' one', 100, 4900)]),
        seg(4000, 9000, [tok(' two', 4100, 8000)]), // starts inside the one before
        seg(9000, 12_000, [tok(' three', 9500, 11_800)]), // the last window runs past the end
      ]),
      options,
    );
    expect(doc.segments.map((s) => [s.start, s.end])).toEqual([
      [0, 4000],
      [4000, 9000],
      [9000, 11_000],
    ]);
    expect(times(doc)).toEqual([
      [100, 4000],
      [4100, 8000],
      [9500, 11_000],
    ]);
  });

  it('asks speakerOf once per segment and lists speakers in order of appearance', () => {
    const speakerOf = vi.fn((start: number) =>
      start < 2000 ? 'SPEAKER_01' : start < 4000 ? null : 'SPEAKER_00',
    );
    const doc = buildDocument(
      result([
        seg(0, 2000, [tok(' Hi', 100, 500), tok(' there', 500, 900)]),
        seg(2000, 4000, [tok(' Hm', 2100, 2500)]),
        seg(4000, 6000, [tok(' Hello', 4100, 4500)]),
        seg(6000, 8000, [tok(' Again', 6100, 6500)]),
      ]),
      { ...options, speakerOf },
    );
    expect(speakerOf.mock.calls).toEqual([
      [0, 2000],
      [2000, 4000],
      [4000, 6000],
      [6000, 8000],
    ]);
    expect(doc.speakers).toEqual([
      { id: 'SPEAKER_01', name: 'Speaker 1' },
      { id: 'SPEAKER_00', name: 'Speaker 2' },
    ]);
    expect(doc.segments.map((s) => s.speaker)).toEqual([
      'SPEAKER_01',
      null,
      'SPEAKER_00',
      'SPEAKER_00',
    ]);
    expect(words(doc).map((w) => w.speaker)).toEqual([
      'SPEAKER_01',
      'SPEAKER_01',
      null,
      'SPEAKER_00',
      'SPEAKER_00',
    ]);
    validateDocument(doc);
  });

  it('numbers ids across segments with the given prefix', () => {
    const doc = buildDocument(
      result([
        seg(0, 1000, [tok(' a', 0, 100), tok(' b', 100, 200)]),
        seg(1000, 2000, [tok(' c', 1000, 1100)]),
      ]),
      { ...options, idPrefix: 'part2-' },
    );
    expect(doc.segments.map((s) => s.id)).toEqual(['part2-s1', 'part2-s2']);
    expect(words(doc).map((w) => w.id)).toEqual(['part2-w1', 'part2-w2', 'part2-w3']);
  });

  it('rejects a duration that is not whole milliseconds and bad caption settings', () => {
    for (const bad of [
      { ...options, durationMs: -1 },
      { ...options, durationMs: 1.5 },
      { ...options, durationMs: Number.NaN },
      {
        ...options,
        captions: { ...options.captions, rules: { ...options.captions.rules, maxLines: 0 } },
      },
    ]) {
      let error: unknown;
      try {
        buildDocument(jfk, bad);
      } catch (e) {
        error = e;
      }
      expect(isEngineError(error, 'INVALID_ARGUMENT'), String(error)).toBe(true);
    }
  });
});

describe('emptyDocument', () => {
  it('is a valid document with no segments and the no-speech note', () => {
    const doc = emptyDocument(options);
    expect(doc.segments).toEqual([]);
    expect(doc.notes).toEqual(['No speech was detected in this recording.']);
    expect(doc.language).toBeNull();
    expect(validateDocument(doc)).toEqual(doc);
  });
});
