import { describe, expect, it } from 'vitest';
import type { TranscriptDocument } from '../../contract/document';
import { isEngineError } from '../errors';
import { buildDocument } from './build-document';
import { formatPath, validateDocument } from './validate';
import { options, result, seg, tok } from './__fixtures__/whisper-result';

function sample(): TranscriptDocument {
  return buildDocument(
    result([
      seg(0, 2000, [tok(' one', 100, 400), tok(' two', 400, 900), tok(' three', 900, 1500)]),
      seg(2000, 4000, [tok(' four', 2100, 2500), tok(' five', 2600, 3000)]),
    ]),
    { ...options, speakerOf: () => 'A' },
  );
}

function rejection(input: unknown): string {
  try {
    validateDocument(input);
  } catch (error) {
    expect(isEngineError(error, 'INVALID_ARGUMENT'), String(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('validateDocument', () => {
  it('accepts a built document and returns it parsed', () => {
    const doc = sample();
    expect(validateDocument(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
  });

  it('reports schema problems with their path', () => {
    const doc = sample() as unknown as {
      segments: { lines: { words: { confidence: number }[] }[] }[];
    };
    doc.segments[1]!.lines[0]!.words[1]!.confidence = 1.5;
    expect(rejection(doc)).toMatch(/at segments\[1\]\.lines\[0\]\.words\[1\]\.confidence:/);
    expect(rejection({ version: 2 })).toMatch(/^Invalid transcript document at version:/);
    expect(rejection('nope')).toMatch(/at \(document\):/);
  });

  const cases: [string, (doc: TranscriptDocument) => void, RegExp][] = [
    [
      'a word that ends before it starts',
      (d) => Object.assign(d.segments[0]!.lines[0]!.words[1]!, { start: 800, end: 700 }),
      /segments\[0\]\.lines\[0\]\.words\[1\]: ends \(700 ms\) before it starts \(800 ms\)/,
    ],
    [
      'overlapping words',
      (d) => (d.segments[0]!.lines[0]!.words[2]!.start = 850),
      /segments\[0\]\.lines\[0\]\.words\[2\]: starts at 850 ms, before segments\[0\]\.lines\[0\]\.words\[1\] ends \(900 ms\)/,
    ],
    [
      'a word outside its line',
      (d) => (d.segments[1]!.lines[0]!.words[1]!.end = 3100),
      /segments\[1\]\.lines\[0\]\.words\[1\]: lies outside its line: 2600–3100 ms is not within 2100–3000 ms/,
    ],
    [
      'a line outside its segment',
      (d) => (d.segments[1]!.lines[0]!.start = 1900),
      /segments\[1\]\.lines\[0\]: lies outside its segment/,
    ],
    [
      'overlapping segments',
      (d) => (d.segments[0]!.end = 2500),
      /segments\[1\]: starts at 2000 ms, before segments\[0\] ends \(2500 ms\)/,
    ],
    [
      'lines out of order',
      (d) => {
        const words = d.segments[0]!.lines[0]!.words;
        d.segments[0]!.lines = [
          { start: 900, end: 1500, words: words.slice(2) },
          { start: 100, end: 900, words: words.slice(0, 2) },
        ];
      },
      /segments\[0\]\.lines\[1\]: starts at 100 ms, before segments\[0\]\.lines\[0\] ends/,
    ],
    [
      'a repeated word id',
      (d) => (d.segments[1]!.lines[0]!.words[0]!.id = 'w2'),
      /segments\[1\]\.lines\[0\]\.words\[0\]: repeats id "w2" of segments\[0\]\.lines\[0\]\.words\[1\]/,
    ],
    [
      'a repeated segment id',
      (d) => (d.segments[1]!.id = 's1'),
      /segments\[1\]: repeats id "s1" of segments\[0\]/,
    ],
    [
      'an unknown speaker',
      (d) => (d.segments[1]!.lines[0]!.words[0]!.speaker = 'B'),
      /segments\[1\]\.lines\[0\]\.words\[0\]: names speaker "B", which is not in speakers/,
    ],
    [
      'a repeated speaker',
      (d) => d.speakers.push({ id: 'A', name: 'Again' }),
      /speakers\[1\]: repeats speaker id "A"/,
    ],
  ];

  it.each(cases)('names the first violation: %s', (_, breakIt, message) => {
    const doc = sample();
    breakIt(doc);
    expect(rejection(doc)).toMatch(message);
  });

  it('puts the path in the error details', () => {
    const doc = sample();
    doc.segments[0]!.lines[0]!.words[2]!.start = 850;
    try {
      validateDocument(doc);
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error) && error.details).toEqual({
        path: 'segments[0].lines[0].words[2]',
      });
    }
  });
});

describe('formatPath', () => {
  it('writes indexes in brackets', () => {
    expect(formatPath(['segments', 3, 'lines', 0, 'words', 2, 'start'])).toBe(
      'segments[3].lines[0].words[2].start',
    );
    expect(formatPath([])).toBe('(document)');
  });
});
