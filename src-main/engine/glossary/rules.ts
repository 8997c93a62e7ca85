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
  return { label, words: 1, apply: (text) => regex.replaceAll(text, rule.replace) };
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
  const pattern = new RegExp(source, mode === 'exact' ? 'gu' : 'giu');
  const adapt = followCase && mode !== 'exact';
  return {
    label,
    words: parts.length,
    apply: (text) =>
      text.replace(pattern, (found) => (adapt ? followCaseOf(found, replace) : replace)),
  };
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
