import { describe, expect, it } from 'vitest';
import { checkDocument, makeDocument, texts } from './__fixtures__/make-document';
import { findMatches, replaceAll, replaceMatch } from './find';

const doc = () =>
  makeDocument([
    { lines: [['The', 'party', 'is', 'art.']] },
    { lines: [['Art', "don't", 'um', 'start']] },
  ]);

describe('find', () => {
  it('finds inside words, case-insensitively by default', () => {
    expect(findMatches(doc(), { query: 'art' }).map((m) => m.wordId)).toEqual([
      'w1',
      'w3',
      'w4',
      'w7',
    ]);
  });

  it('respects case and whole words (an apostrophe joins a word)', () => {
    expect(findMatches(doc(), { query: 'Art', caseSensitive: true }).map((m) => m.wordId)).toEqual([
      'w4',
    ]);
    expect(findMatches(doc(), { query: 'art', wholeWord: true }).map((m) => m.wordId)).toEqual([
      'w3',
      'w4',
    ]);
    expect(findMatches(doc(), { query: 'don', wholeWord: true })).toEqual([]);
  });

  it('finds nothing for an empty query and treats regex characters literally', () => {
    expect(findMatches(doc(), { query: '  ' })).toEqual([]);
    expect(findMatches(doc(), { query: '.' }).map((m) => m.wordId)).toEqual(['w3']);
  });
});

describe('replace', () => {
  it('replaces one match, keeping the rest of the word', () => {
    const first = findMatches(doc(), { query: 'art', wholeWord: true })[0]!;
    const replaced = replaceMatch(doc(), first, 'craft');
    checkDocument(replaced);
    expect(texts(replaced)[0]).toEqual(['The party is craft.']);
  });

  it('replaces all matches, deleting words that become empty', () => {
    const { doc: replaced, count } = replaceAll(doc(), { query: 'um', wholeWord: true }, '');
    checkDocument(replaced);
    expect(count).toBe(1);
    expect(texts(replaced)[1]).toEqual(["Art don't start"]);
    const all = replaceAll(doc(), { query: 'art' }, 'ART');
    checkDocument(all.doc);
    expect(all.count).toBe(4);
    expect(texts(all.doc)).toEqual([['The pARTy is ART.'], ["ART don't um stART"]]);
  });

  it('uses the replacement literally ($ is not special)', () => {
    const { doc: replaced } = replaceAll(doc(), { query: 'is' }, '$&$1');
    expect(texts(replaced)[0]).toEqual(['The party $&$1 art.']);
  });
});
