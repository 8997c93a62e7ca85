import { describe, expect, it } from 'vitest';
import { compileUserRegex, type UserRegex } from './user-regex';

function compiled(match: string): UserRegex {
  const result = compileUserRegex(match);
  if (!result.ok) throw new Error(result.problem);
  return result.regex;
}

function problem(match: string): string {
  const result = compileUserRegex(match);
  if (result.ok) throw new Error(`${match} compiled`);
  return result.problem;
}

describe('compileUserRegex', () => {
  it('replaces every match, expanding $ references as String.prototype.replace does', () => {
    const percent = compiled('(\\d+) percent');
    expect(percent.replaceAll('5 percent, 7 percent', '$1%')).toBe('5%, 7%');
    expect(percent.replaceAll('5 percent', "[$&] $$ $` $' $9")).toBe('[5 percent] $   $9');
    expect(compiled('(?<n>\\d+)').replaceAll('a12b', '<$<n>>')).toBe('a<12>b');
    expect(compiled('(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)').replaceAll('abcdefghij', '$10$1')).toBe('ja');
  });

  it('takes /pattern/flags: i, m and s change matching, g u v d change nothing', () => {
    expect(compiled('/^mr$/i').replaceAll('MR', 'Mr.')).toBe('Mr.');
    expect(compiled('/^b$/m').test('a\nb')).toBe(true);
    expect(compiled('/^b$/').test('a\nb')).toBe(false);
    expect(compiled('/a.b/s').test('a\nb')).toBe(true);
    expect(compiled('/a.b/').test('a\nb')).toBe(false);
    expect(compiled('/x/gudv').replaceAll('xox', 'y')).toBe('yoy');
    // A bare pattern is Unicode-aware, as before.
    expect(compiled('ü').replaceAll('Müller', 'ue')).toBe('Mueller');
    expect(compiled('\\p{Lu}\\p{Ll}+').replaceAll('Ölfeld', 'X')).toBe('X');
    expect(compiled('\\u00fc|\\u{1F600}').replaceAll('ü😀', '.')).toBe('..');
  });

  it('supports lookbehind', () => {
    expect(compiled('(?<![\\p{L}])mr').replaceAll('mr hmr', 'X')).toBe('X hmr');
    expect(compiled('(?<=\\d)k').replaceAll('5k ok', '000')).toBe('5000 ok');
  });

  it('refuses what no linear-time engine runs, naming the construct', () => {
    expect(problem('(a)\\1')).toMatch(
      /^uses a backreference \(\\1\), which is not supported: patterns run on a linear-time engine/,
    );
    expect(problem('(?<x>a)\\k<x>')).toMatch(/^uses a named backreference \(\\k<name>\)/);
    expect(problem('a(?=b)')).toMatch(/^uses lookahead \(\(\?=…\), which is not supported/);
    expect(problem('/a(?!b)/i')).toMatch(/^uses lookahead \(\(\?!…\), which is not supported/);
    expect(problem('(?<=(a))b')).toMatch(/capturing group inside a lookbehind/);
    expect(problem('/a/y')).toMatch(/^uses the y \(sticky\) flag, which is not supported/);
    expect(problem('/a/q')).toMatch(/^has an unknown flag "q"/);
    expect(problem('(unclosed')).toMatch(/^is not a valid regular expression: missing closing \)/);
    // Escaped or in a class, the same characters are fine.
    expect(compiled('[(?=]\\(\\?=').test('=(?=')).toBe(true);
  });

  it('runs a pattern that backtracks catastrophically in RegExp in linear time', () => {
    const hostile = compiled(`/^${'(.*)'.repeat(18)}!$/`);
    const text = 'understanding infrastructure considerably '.repeat(250);
    const started = performance.now();
    expect(hostile.test(text)).toBe(false);
    expect(hostile.replaceAll(text, 'x')).toBe(text);
    for (let i = 0; i < 2000; i++) hostile.replaceAll('infrastructure', 'x');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
