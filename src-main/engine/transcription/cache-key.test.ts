import { describe, expect, it } from 'vitest';
import { canonicalJson, transcriptCacheKey } from './cache-key';

const base = {
  mediaSha256: 'a'.repeat(64),
  modelSha256: 'b'.repeat(64),
  params: { language: 'en', vad: true, glossary: { terms: ['Kubernetes'], rules: [] } },
  pipelineVersion: 1,
};

describe('transcriptCacheKey', () => {
  it('ignores key order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } })).toBe(
      '{"a":{"c":[3,{"e":5,"f":4}],"d":2},"b":1}',
    );
    const reordered = {
      ...base,
      params: { vad: true, glossary: { rules: [], terms: ['Kubernetes'] }, language: 'en' },
    };
    expect(transcriptCacheKey(reordered)).toBe(transcriptCacheKey(base));
  });

  it.each([
    ['the media', { mediaSha256: 'c'.repeat(64) }],
    ['the model', { modelSha256: 'd'.repeat(64) }],
    ['a parameter', { params: { ...base.params, language: 'de' } }],
    [
      'a glossary term',
      { params: { ...base.params, glossary: { terms: ['Kubernetes', 'Helm'], rules: [] } } },
    ],
    ['the pipeline version', { pipelineVersion: 2 }],
  ])('changes with %s', (_, change) => {
    expect(transcriptCacheKey({ ...base, ...change })).not.toBe(transcriptCacheKey(base));
  });
});
