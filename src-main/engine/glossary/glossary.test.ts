import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import { parseGlossary } from './glossary';

describe('parseGlossary', () => {
  it('fills in the defaults', () => {
    expect(
      parseGlossary({ terms: [{ term: ' Kubernetes ' }], rules: [{ match: 'a', replace: 'b' }] }),
    ).toEqual({
      terms: [{ term: 'Kubernetes', soundsLike: [], fixCase: true }],
      rules: [{ match: 'a', replace: 'b', mode: 'whole-word' }],
      targets: [],
    });
    expect(parseGlossary({})).toEqual({ terms: [], rules: [], targets: [] });
  });

  it('names the path of the first problem', () => {
    for (const [input, path] of [
      [{ terms: [{ term: '  ' }] }, 'terms[0].term'],
      [{ rules: [{ match: 'x', replace: 'y', mode: 'fuzzy' }] }, 'rules[0].mode'],
      [{ targets: ['ok', ''] }, 'targets[1]'],
      [null, '(document)'],
    ] as const) {
      try {
        parseGlossary(input);
        expect.unreachable();
      } catch (error) {
        expect(isEngineError(error, 'INVALID_ARGUMENT')).toBe(true);
        expect((error as Error).message).toContain(`Invalid glossary at ${path}:`);
      }
    }
  });
});
