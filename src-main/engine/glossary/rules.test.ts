import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import type { GlossaryInput } from '../../contract/glossary';
import { parseGlossary } from './glossary';
import { compileRules } from './rules';

const rules = (input: GlossaryInput) => compileRules(parseGlossary(input));
const apply = (input: GlossaryInput, text: string) => rules(input)[0]!.apply(text);

describe('compileRules', () => {
  it('exact: case-sensitive, anywhere in the word', () => {
    const g = { rules: [{ match: 'colour', replace: 'color', mode: 'exact' as const }] };
    expect(apply(g, 'colours,')).toBe('colors,');
    expect(apply(g, 'Colour')).toBe('Colour');
  });

  it('case-insensitive: any case, anywhere, following the case it replaces', () => {
    const g = { rules: [{ match: 'colour', replace: 'color', mode: 'case-insensitive' as const }] };
    expect(apply(g, 'Colours')).toBe('Colors');
    expect(apply(g, 'COLOUR!')).toBe('COLOR!');
    expect(apply(g, 'watercolour')).toBe('watercolor');
  });

  it('whole-word: any case, not inside a longer word', () => {
    const g = { rules: [{ match: 'gonna', replace: 'going to' }] };
    expect(apply(g, 'Gonna,')).toBe('Going to,');
    expect(apply(g, 'gonnas')).toBe('gonnas');
    expect(apply({ rules: [{ match: 'ok', replace: 'OK' }] }, 'ok.')).toBe('OK.');
  });

  it('regex: a pattern or /pattern/flags with $ references', () => {
    expect(
      apply({ rules: [{ match: '(\\d+) percent', replace: '$1%', mode: 'regex' }] }, '5 percent'),
    ).toBe('5%');
    expect(apply({ rules: [{ match: '/^mr$/i', replace: 'Mr.', mode: 'regex' }] }, 'MR')).toBe(
      'Mr.',
    );
    expect(apply({ rules: [{ match: 'ü', replace: 'ue', mode: 'regex' }] }, 'Müller')).toBe(
      'Mueller',
    );
  });

  it('names an invalid regular expression or one that matches empty text', () => {
    for (const [match, problem] of [
      ['(unclosed', /Glossary rule 2 \(regex: \(unclosed → x\) is not a valid regular expression/],
      ['x*', /Glossary rule 2 \(regex: x\* → x\) matches empty text/],
    ] as const) {
      try {
        rules({
          rules: [
            { match: 'fine', replace: 'ok' },
            { match, replace: 'x', mode: 'regex' },
          ],
        });
        expect.unreachable();
      } catch (error) {
        expect(isEngineError(error, 'INVALID_ARGUMENT')).toBe(true);
        expect((error as Error).message).toMatch(problem);
      }
    }
  });

  it('adds each term’s sounds-like and case rules after the glossary rules', () => {
    const compiled = rules({
      rules: [{ match: 'colour', replace: 'color' }],
      terms: [
        { term: 'Kubernetes', soundsLike: ['cooper netties', 'kubernetis'] },
        { term: 'pytest', fixCase: false },
      ],
    });
    expect(compiled.map((r) => [r.label, r.words])).toEqual([
      ['whole-word: colour → color', 1],
      ['term: cooper netties → Kubernetes', 2],
      ['term: kubernetis → Kubernetes', 1],
      ['term: Kubernetes', 1],
    ]);
    expect(compiled[3]!.apply('KUBERNETES')).toBe('Kubernetes');
  });

  it('writes terms as given, whatever the case around them', () => {
    const [rule] = rules({ terms: [{ term: 'pytest', soundsLike: ['pie test'] }] });
    expect(rule!.apply('Pie  test')).toBe('pytest');
  });

  it('treats regex characters in plain matches literally', () => {
    expect(apply({ rules: [{ match: 'C++', replace: 'C plus plus' }] }, 'C++')).toBe('C plus plus');
    expect(apply({ rules: [{ match: 'C++', replace: 'C plus plus' }] }, 'AC++')).toBe('AC++');
    expect(apply({ rules: [{ match: 'C++', replace: 'Cpp', mode: 'exact' }] }, 'C++!')).toBe(
      'Cpp!',
    );
    expect(apply({ rules: [{ match: 'a.b', replace: 'x', mode: 'exact' }] }, 'aXb')).toBe('aXb');
  });
});
