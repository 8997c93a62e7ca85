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

  it('refuses oversized entries with a clear message instead of failing later', () => {
    const refused = (input: unknown) => {
      try {
        parseGlossary(input);
      } catch (error) {
        expect(isEngineError(error, 'INVALID_ARGUMENT')).toBe(true);
        return (error as Error).message;
      }
      throw new Error('expected INVALID_ARGUMENT');
    };
    expect(refused({ terms: [{ term: 'a'.repeat(40_000) }] })).toBe(
      'Invalid glossary at terms[0].term: must be at most 200 characters',
    );
    expect(refused({ terms: [{ term: 'K8s', soundsLike: ['x'.repeat(201)] }] })).toContain(
      'terms[0].soundsLike[0]: must be at most 200 characters',
    );
    expect(refused({ rules: [{ match: 'a', replace: 'b'.repeat(501) }] })).toContain(
      'rules[0].replace: must be at most 500 characters',
    );
    expect(refused({ targets: Array.from({ length: 501 }, (_, i) => `t${i}`) })).toContain(
      'targets: at most 500 targets',
    );
    expect(parseGlossary({ terms: [{ term: 'a'.repeat(200) }] }).terms).toHaveLength(1);
  });

  it('refuses a regular expression the linear-time engine cannot run, naming the construct', () => {
    try {
      parseGlossary({
        rules: [
          { match: 'fine', replace: 'ok' },
          { match: '(\\w+) \\1', replace: '$1', mode: 'regex' },
        ],
      });
      expect.unreachable();
    } catch (error) {
      expect(isEngineError(error, 'INVALID_ARGUMENT')).toBe(true);
      expect((error as Error).message).toMatch(
        /^Invalid glossary at rules\[1\]\.match: Glossary rule 2 \(regex: \(\\w\+\) \\1 → \$1\) uses a backreference \(\\1\), which is not supported/,
      );
    }
  });
});
