/**
 * Glossary rules and terms compiled into text replacements. Rules come first, in glossary
 * order, then each term's "sounds like" replacements and its case fix.
 *
 * Case: for 'case-insensitive' and 'whole-word' rules whose replacement is all lower case, the
 * replacement follows the case of what it replaces ("Colour" → "Color", "COLOUR" → "COLOR");
 * a replacement with a capital in it is used as written. Terms are always written as given.
 *
 * Plain matches ('exact', 'case-insensitive', 'whole-word', terms) are escaped text, so their
 * RegExp cannot backtrack; 'regex' rules run on the linear-time engine of contract/user-regex.ts.
 */
import { RE2JS, RE2Set } from 're2js';
import { EngineError } from '../errors';
import {
  compileRegexRule,
  ruleLabel,
  type CorrectionMode,
  type Glossary,
  type GlossaryRule,
} from '../../contract/glossary';

export interface CompiledRule {
  /** The rule as written in the glossary, recorded in each correction it makes. */
  label: string;
  /** How many words its match spans (more than 1 only for a plain match with spaces). */
  words: number;
  /** `text` with every match replaced (the same text when nothing matches). */
  apply(text: string): string;
  /**
   * For a plain match: an RE2 pattern that matches wherever the rule could change a text (its
   * words in any case, any whitespace between, boundaries left out), for `plainRuleFinder`.
   * Undefined for a 'regex' rule.
   */
  hint?: string;
}

/** Letters, digits and marks: what a whole word may not continue into. */
const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}_]';

export function compileRules(glossary: Glossary): CompiledRule[] {
  const compiled = glossary.rules.map((rule, index) => compileRule(rule, index));
  for (const { term, soundsLike, fixCase } of glossary.terms) {
    for (const heard of soundsLike) {
      compiled.push(literalRule(`term: ${heard} → ${term}`, heard, term, 'whole-word', false));
    }
    if (fixCase) compiled.push(literalRule(`term: ${term}`, term, term, 'whole-word', false));
  }
  return compiled;
}

function compileRule(rule: GlossaryRule, index: number): CompiledRule {
  const label = ruleLabel(rule);
  if (rule.mode !== 'regex') return literalRule(label, rule.match, rule.replace, rule.mode, true);
  // parseGlossary has refused a bad pattern already; this guards callers that built a glossary
  // by hand. User patterns never reach RegExp: see contract/user-regex.ts.
  const compiled = compileRegexRule(rule, index);
  if (!compiled.ok) {
    throw new EngineError('INVALID_ARGUMENT', `${compiled.problem}.`, {
      details: { rule: index, match: rule.match },
    });
  }
  const { regex } = compiled;
  return {
    label,
    words: 1,
    apply: (text) => (regex.test(text) ? regex.replaceAll(text, rule.replace) : text),
  };
}

function literalRule(
  label: string,
  match: string,
  replace: string,
  mode: Exclude<CorrectionMode, 'regex'>,
  followCase: boolean,
): CompiledRule {
  const parts = match.trim().split(/\s+/u);
  const body = parts.map(escapeRegExp).join('\\s+');
  const source = mode === 'whole-word' ? `(?<!${WORD_CHAR})${body}(?!${WORD_CHAR})` : body;
  // Compiled on first use: a RegExp with \p{…} classes takes a fraction of a millisecond to
  // build, and of a glossary's thousands of plain rules only those that may match are applied.
  let pattern: RegExp | undefined;
  const adapt = followCase && mode !== 'exact';
  return {
    label,
    words: parts.length,
    apply: (text) =>
      text.replace((pattern ??= new RegExp(source, mode === 'exact' ? 'gu' : 'giu')), (found) =>
        adapt ? followCaseOf(found, replace) : replace,
      ),
    hint: parts.map((part) => RE2JS.quote(part)).join(`${JS_SPACE}+`),
  };
}

/** What `\s` matches in a JavaScript RegExp, as an RE2 class (RE2's `\s` is ASCII only). */
const JS_SPACE =
  '[\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]';

/**
 * The plain-match rules that may change `text`, found at once: a glossary holds thousands of
 * plain matches (every term's "sounds like" and case fix), and trying each on each word of a long
 * transcript took seconds of the engine's only thread; this is one pass of RE2's multi-pattern
 * DFA over the text, however many rules there are. The test is a superset (any case, boundaries
 * left out): a rule it leaves out cannot match, so results are exactly those of rule by rule.
 */
export function plainRuleFinder(
  rules: readonly CompiledRule[],
): (text: string) => ReadonlySet<CompiledRule> {
  const plain = rules.filter((rule) => rule.hint !== undefined);
  if (plain.length === 0) return () => new Set();
  const set = new RE2Set(RE2Set.UNANCHORED, RE2JS.CASE_INSENSITIVE);
  const byId = new Map<number, CompiledRule>();
  for (const rule of plain) byId.set(set.add(rule.hint!), rule);
  set.compile();
  return (text) => new Set(set.match(text).map((id) => byId.get(id)!));
}

function followCaseOf(found: string, replacement: string): string {
  if (/\p{Lu}/u.test(replacement)) return replacement;
  const letters = found.replace(/[^\p{L}]/gu, '');
  if (
    letters.length > 1 &&
    letters === letters.toUpperCase() &&
    letters !== letters.toLowerCase()
  ) {
    return replacement.toUpperCase();
  }
  const first = /\p{L}/u.exec(found)?.[0];
  if (first && first !== first.toLowerCase()) {
    const at = replacement.search(/\p{L}/u);
    if (at >= 0)
      return replacement.slice(0, at) + replacement[at]!.toUpperCase() + replacement.slice(at + 1);
  }
  return replacement;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
