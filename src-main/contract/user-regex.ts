/**
 * Regular expressions that users write (glossary rules in 'regex' mode), run in linear time.
 *
 * A JavaScript RegExp backtracks: `^(.*)(.*)…(.*)!$` tries every way to share a word among its
 * groups before it fails, which takes minutes on one long word and blocks whatever thread runs
 * it. So user patterns never reach RegExp: they run on RE2JS, a pure-JavaScript port of RE2 whose
 * matching time is linear in the text, whatever the pattern.
 *
 * The syntax is JavaScript's, as people write it, less what no linear-time engine can do:
 * backreferences (`\1`, `\k<name>`), lookahead (`(?=…)`, `(?!…)`) and capturing groups inside a
 * lookbehind are refused with a message naming the construct; lookbehind itself (`(?<=…)`,
 * `(?<!…)`) works. Flags: `i`, `m`, `s`; `g`, `u`, `v` and `d` are accepted and change nothing
 * (every match is replaced, and patterns are always Unicode-aware); `y` is refused.
 * Replacements are expanded as by `String.prototype.replace`: `$1`…`$99`, `$<name>`, `$&`,
 * `` $` ``, `$'` and `$$`.
 *
 * This lives in the contract so that the API's schema refuses such a pattern when a job is
 * submitted (400), not when it runs; the engine compiles rules with the same function.
 */
import { RE2JS } from 're2js';

/** A compiled user pattern. */
export interface UserRegex {
  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  /** `text` with every match replaced by `replacement` (`$1`, `$<name>`, `$&`, … expanded). */
  replaceAll(text: string, replacement: string): string;
}

export type UserRegexResult = { ok: true; regex: UserRegex } | { ok: false; problem: string };

const FLAG_BITS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  g: 0,
  u: 0,
  v: 0,
  d: 0,
};

/**
 * Compiles `match`: `/pattern/flags` or a bare pattern. Never throws for a bad pattern: the
 * result says what is wrong as a predicate that names the construct ("uses a backreference (\\1),
 * which is not supported: …"), to follow the pattern's name.
 */
export function compileUserRegex(match: string): UserRegexResult {
  const { source, flags } = regexParts(match);
  let bits = RE2JS.LOOKBEHINDS;
  for (const flag of flags) {
    if (flag === 'y') {
      return { ok: false, problem: 'uses the y (sticky) flag, which is not supported' };
    }
    const bit = FLAG_BITS[flag];
    if (bit === undefined) {
      return { ok: false, problem: `has an unknown flag "${flag}" (use i, m or s)` };
    }
    bits |= bit;
  }
  const unsupported = unsupportedConstruct(source);
  if (unsupported) return { ok: false, problem: unsupported };
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(RE2JS.translateRegExp(source), bits);
  } catch (error) {
    return { ok: false, problem: syntaxProblem(error) };
  }
  return {
    ok: true,
    regex: {
      test: (text) => compiled.test(text),
      replaceAll: (text, replacement) => compiled.matcher(text).replaceAll(replacement),
    },
  };
}

/** `/source/flags` or a bare pattern. */
function regexParts(match: string): { source: string; flags: string } {
  const literal = /^\/(.+)\/([a-z]*)$/su.exec(match);
  if (literal) return { source: literal[1]!, flags: literal[2]! };
  return { source: match, flags: '' };
}

const LINEAR = 'patterns run on a linear-time engine (RE2 syntax)';

/** The first construct of `source` that a linear-time engine cannot run, as a predicate; or undefined. */
function unsupportedConstruct(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && next >= '1' && next <= '9') {
        return `uses a backreference (\\${next}), which is not supported: ${LINEAR}`;
      }
      if (!inClass && next === 'k' && source[i + 2] === '<') {
        return `uses a named backreference (\\k<name>), which is not supported: ${LINEAR}`;
      }
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(' && source[i + 1] === '?' && /[=!]/u.test(source[i + 2] ?? '')) {
      return `uses lookahead (${source.slice(i, i + 3)}…), which is not supported: ${LINEAR} (lookbehind works)`;
    }
  }
  return undefined;
}

function syntaxProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.replace(/^error parsing regexp: /u, '');
  if (/^invalid capture in lookbehind/u.test(reason)) {
    return 'has a capturing group inside a lookbehind, which is not supported: use a non-capturing group (?:…)';
  }
  return `is not a valid regular expression: ${reason}`;
}
