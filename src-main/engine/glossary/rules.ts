/**
 * Glossary rules and terms compiled into text replacements. Rules come first, in glossary
 * order, then each term's "sounds like" replacements and its case fix.
 *
 * Case: for 'case-insensitive' and 'whole-word' rules whose replacement is all lower case, the
 * replacement follows the case of what it replaces ("Colour" → "Color", "COLOUR" → "COLOR");
 * a replacement with a capital in it is used as written. Terms are always written as given.
 */
import { EngineError } from '../errors';
import type { CorrectionMode, Glossary, GlossaryRule } from '../../contract/glossary';

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

/** The label a rule's corrections carry: `mode: match → replace`. */
export function ruleLabel(rule: GlossaryRule): string {
  return `${rule.mode}: ${rule.match} → ${rule.replace}`;
}

function compileRule(rule: GlossaryRule, index: number): CompiledRule {
  const label = ruleLabel(rule);
  if (rule.mode !== 'regex') return literalRule(label, rule.match, rule.replace, rule.mode, true);
  const { source, flags } = regexParts(rule.match);
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, flags.includes('g') ? flags : `${flags}g`);
  } catch (error) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Glossary rule ${index + 1} (${label}) is not a valid regular expression: ${(error as Error).message}.`,
      { cause: error, details: { rule: index, match: rule.match } },
    );
  }
  if (new RegExp(pattern.source, pattern.flags.replace('g', '')).test('')) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Glossary rule ${index + 1} (${label}) matches empty text, so it would insert "${rule.replace}" everywhere.`,
      { details: { rule: index, match: rule.match } },
    );
  }
  return { label, words: 1, apply: (text) => text.replace(pattern, rule.replace) };
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

/** `/source/flags` or a bare pattern (compiled with the `u` flag). */
function regexParts(match: string): { source: string; flags: string } {
  const literal = /^\/(.+)\/([a-z]*)$/su.exec(match);
  if (literal) return { source: literal[1]!, flags: literal[2]! };
  return { source: match, flags: 'u' };
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
