import { describe, expect, it } from 'vitest';
import type { TranscriptDocument } from '../../contract/document';
import { buildDocument } from '../documents/build-document';
import { jfk, options, result, seg, tok } from '../documents/__fixtures__/whisper-result';
import { countTargets, withTargetCounts } from './target-counts';

describe('countTargets', () => {
  const doc = buildDocument(jfk, options);

  it('counts whole words in any case, ignoring punctuation around them', () => {
    expect(countTargets(doc, ['country', 'ASK', 'you', 'Americans', 'coun', 'for you'])).toEqual({
      country: 2,
      ASK: 2,
      you: 2,
      Americans: 1,
      coun: 0,
      'for you': 1,
    });
  });

  it('matches phrases across segment boundaries, without overlaps', () => {
    const laugh: TranscriptDocument = buildDocument(
      result([
        seg(0, 1000, [tok(' ha', 0, 100), tok(' ha', 100, 200)]),
        seg(1000, 2000, [tok(' ha', 1000, 1100), tok(' New', 1100, 1200)]),
        seg(2000, 3000, [tok(' York', 2000, 2100), tok('!', 2100, 2100)]),
      ]),
      options,
    );
    expect(countTargets(laugh, ['ha ha', 'new  york', 'ha'])).toEqual({
      'ha ha': 1,
      'new  york': 1,
      ha: 3,
    });
  });

  it('counts targets in scripts without spaces inside the text', () => {
    const ja = buildDocument(
      result(
        [
          seg(0, 2000, [
            tok('東京', 0, 500),
            tok('は', 500, 600),
            tok('、', 600, 600),
            tok('東京', 700, 1000),
            tok('です', 1000, 1200),
          ]),
        ],
        'ja',
      ),
      options,
    );
    expect(countTargets(ja, ['東京', 'は、東京', 'は東京'])).toEqual({
      東京: 2,
      'は、東京': 1,
      は東京: 0,
    });
  });

  it('skips blank targets and counts nothing in an empty document', () => {
    expect(countTargets(doc, ['  ', ' so '])).toEqual({ so: 1 });
    expect(countTargets({ ...doc, segments: [] }, ['so'])).toEqual({ so: 0 });
  });
});

describe('withTargetCounts', () => {
  it('stores the counts in the document without changing the input', () => {
    const doc = buildDocument(jfk, options);
    const out = withTargetCounts(doc, ['country']);
    expect(out.targetCounts).toEqual({ country: 2 });
    expect(doc.targetCounts).toEqual({});
  });
});
