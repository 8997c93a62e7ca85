import { describe, expect, it } from 'vitest';
import { mergeWords } from './merge-words';
import type { TokenPiece } from './token-pieces';

const piece = (text: string, p = 0.9): TokenPiece => ({ text, p, t0: null, t1: null });
const merged = (...texts: string[]) => mergeWords(texts.map((t) => piece(t))).map((w) => w.text);

describe('mergeWords', () => {
  it('starts a word at a leading space and continues it without one', () => {
    expect(merged(' And', ' so', ' my', ' fellow', ' Ameri', 'cans', ',', ' ask')).toEqual([
      'And',
      'so',
      'my',
      'fellow',
      'Americans,',
      'ask',
    ]);
  });

  it('starts the first word of a segment without a leading space', () => {
    expect(merged('Hello', ' world', '!')).toEqual(['Hello', 'world!']);
  });

  it('lets opening punctuation lean on the next word, even across a space', () => {
    expect(merged(' "', ' Yes', '"', ' (', 'no', ')', ' «', ' Oui', ' »')).toEqual([
      '"Yes"',
      '(no)',
      '«Oui\u00A0»',
    ]);
  });

  it('keeps a lone dash or note as a word of its own', () => {
    expect(merged(' -', ' Hi', ' ♪', ' la', ' ♪')).toEqual(['-', 'Hi', '♪', 'la', '♪']);
  });

  it('splits a token holding a space inside it', () => {
    const both = piece(' New York', 0.5);
    const city = piece(' City');
    const words = mergeWords([both, city]);
    expect(words.map((w) => w.text)).toEqual(['New', 'York', 'City']);
    expect(words.map((w) => w.pieces)).toEqual([[both], [both], [city]]);
  });

  it('hands text-less pieces to the word their next text joins', () => {
    const bytes = piece('', 0.3);
    const space = piece(' ', 0.4);
    const words = mergeWords([piece(' caf'), bytes, piece('é'), space, piece('\u00E9t\u00E9')]);
    expect(words.map((w) => w.text)).toEqual(['café', 'été']);
    expect(words[0]!.pieces).toContain(bytes);
    expect(words[1]!.pieces[0]).toBe(space);
  });

  it('gives trailing text-less pieces to the last word and none to an empty segment', () => {
    const tail = piece('');
    const words = mergeWords([piece(' end'), tail]);
    expect(words[0]!.pieces.at(-1)).toBe(tail);
    expect(mergeWords([piece(''), piece(' ')])).toEqual([]);
  });

  it('ends a phrase in a script without spaces at clause punctuation', () => {
    expect(merged('今日', 'は', '、', '晴れ', '。', 'OK', '.', '次', 'へ')).toEqual([
      '今日は、',
      '晴れ。OK.',
      '次へ',
    ]);
  });

  it('does not split Latin text after a period inside a word', () => {
    expect(merged(' U', '.', 'S', '.', 'A', '.')).toEqual(['U.S.A.']);
  });
});
