import { describe, expect, it } from 'vitest';
import { isControlToken, rejoinSplitCharacters, tokenPieces } from './token-pieces';
import { seg, special, tok } from './__fixtures__/whisper-result';

describe('tokenPieces', () => {
  it('keeps spoken tokens with safe probabilities and whole-ms times', () => {
    const pieces = tokenPieces(
      seg(0, 1000, [
        special('[_BEG_]', 0),
        tok(' a', 10.4, 99.6, 0.5),
        { ...tok(' b', -10, null), p: Number.NaN, plog: Math.log(0.25) },
        { ...tok(' c', Number.POSITIVE_INFINITY, 5), p: 1.2 },
        { ...tok(' d', 1, 2), p: Number.NaN, plog: Number.NaN },
      ]),
    );
    expect(pieces).toEqual([
      { text: ' a', p: 0.5, t0: 10, t1: 100 },
      { text: ' b', p: 0.25, t0: null, t1: null },
      { text: ' c', p: 1, t0: null, t1: 5 },
      { text: ' d', p: 0, t0: 1, t1: 2 },
    ]);
  });
});

describe('isControlToken', () => {
  it.each(['[_BEG_]', '[_TT_1500]', '[_SOT_]', '[_extra_token_3]', '[_LANG_en]', '<|endoftext|>'])(
    'recognises %s by its text',
    (text) => expect(isControlToken({ text, special: false })).toBe(true),
  );

  it.each([' [Music]', '[', ' [_', 'BEG', ' <b>'])('keeps spoken %s', (text) =>
    expect(isControlToken({ text, special: false })).toBe(false),
  );
});

describe('rejoinSplitCharacters', () => {
  it('gives a character split over two tokens to the token that completes it', () => {
    expect(rejoinSplitCharacters([' caf', '\uFFFD', '\uFFFD', ' au'], ' café au')).toEqual([
      ' caf',
      '',
      'é',
      ' au',
    ]);
  });

  it('ends a gap before ASCII text and at the next clean text otherwise', () => {
    expect(
      rejoinSplitCharacters(['\uFFFD', '\uFFFDは', '\uFFFD', '\uFFFD、'], '日本は世界、'),
    ).toEqual(['', '日本は', '', '世界、']);
  });

  it('fills a gap at the end with the rest of the text', () => {
    expect(rejoinSplitCharacters([' caf', '\uFFFD\uFFFD'], ' café')).toEqual([' caf', 'é']);
    expect(rejoinSplitCharacters([' na', '\uFFFD\uFFFDve'], ' naïve')).toEqual([' na', 'ïve']);
  });

  it('sizes a gap so that the rest lines up, even when its text repeats after it', () => {
    // "は" and "。" both split over two tokens, then a clean "。": the gap is "は。", not "は".
    expect(
      rejoinSplitCharacters(['です', '\uFFFD', '\uFFFD', '\uFFFD', '\uFFFD', '。'], 'ですは。。'),
    ).toEqual(['です', '', '', '', 'は。', '。']);
  });

  it('holds at most one character per U+FFFD and never ASCII', () => {
    expect(rejoinSplitCharacters([' caf', '\uFFFD'], ' caféé')).toBeUndefined();
    expect(rejoinSplitCharacters([' caf', '\uFFFD'], ' cafe')).toBeUndefined();
  });

  it('fails when clean text does not line up', () => {
    expect(rejoinSplitCharacters([' caf', '\uFFFD', ' x'], ' café au')).toBeUndefined();
    expect(rejoinSplitCharacters(['\uFFFD', '世'], '日本')).toBeUndefined();
  });
});
