import { z } from 'zod';
import { compileUserRegex, type UserRegexResult } from './user-regex';

/**
 * A glossary: the one list that drives both ends of a transcription. Its terms prime Whisper
 * through the initial prompt and fix what Whisper still gets wrong afterwards; its rules are
 * further find-and-replace corrections; its targets are words whose occurrences are counted.
 */

/**
 * How a rule's `match` is found in a word's text:
 * - 'exact': the text as written, case-sensitive, anywhere in the word;
 * - 'case-insensitive': the text in any case, anywhere in the word;
 * - 'whole-word': the text in any case, as whole words only (not inside a longer word);
 * - 'regex': a regular expression in JavaScript syntax, `pattern` or `/pattern/flags` (flags i, m,
 *   s), run in linear time (see user-regex.ts: no backreferences or lookahead); `replace` may use
 *   `$1`, `$<name>`, `$&`, … It must not match empty text.
 * Matches of several words ("cooper netties") are found across adjacent words.
 */
export const correctionMode = z.enum(['exact', 'case-insensitive', 'whole-word', 'regex']);
export type CorrectionMode = z.infer<typeof correctionMode>;

/**
 * How much a glossary may hold. A glossary is a list a person keeps (names, jargon, a few
 * corrections); these bounds keep one request from making a job compile or scan without end.
 */
export const GLOSSARY_LIMITS = {
  terms: 300,
  /** Characters of a term, a "sounds like" and a target. */
  termChars: 200,
  soundsLikePerTerm: 10,
  rules: 200,
  /** Characters of a rule's `match` and of its `replace`. */
  ruleChars: 500,
  targets: 500,
} as const;

const phrase = () =>
  z
    .string()
    .trim()
    .min(1)
    .max(GLOSSARY_LIMITS.termChars, `must be at most ${GLOSSARY_LIMITS.termChars} characters`);

export const glossaryTerm = z.object({
  /** The term as it must be written, e.g. "Kubernetes". */
  term: phrase(),
  /**
   * How Whisper mishears it ("cooper netties"); each is replaced by the term as whole words, in
   * any case.
   * @default []
   */
  soundsLike: z
    .array(phrase())
    .max(GLOSSARY_LIMITS.soundsLikePerTerm, `at most ${GLOSSARY_LIMITS.soundsLikePerTerm} per term`)
    .default([]),
  /**
   * Also write the term as given where it appears in another case ("kubernetes").
   * @default true
   */
  fixCase: z.boolean().default(true),
});
export type GlossaryTerm = z.infer<typeof glossaryTerm>;

const ruleText = () =>
  z
    .string()
    .max(GLOSSARY_LIMITS.ruleChars, `must be at most ${GLOSSARY_LIMITS.ruleChars} characters`);

export const glossaryRule = z.object({
  match: ruleText().min(1),
  replace: ruleText(),
  /** @default 'whole-word' */
  mode: correctionMode.default('whole-word'),
});
export type GlossaryRule = z.infer<typeof glossaryRule>;

/** The label a rule's corrections carry: `mode: match → replace`. */
export function ruleLabel(rule: GlossaryRule): string {
  return `${rule.mode}: ${rule.match} → ${rule.replace}`;
}

/**
 * A 'regex' rule's pattern compiled (see user-regex.ts), or what is wrong with it in a sentence
 * that names the rule (`index` counts from 0, the sentence from 1).
 */
export function compileRegexRule(rule: GlossaryRule, index: number): UserRegexResult {
  const compiled = compileUserRegex(rule.match);
  const name = `Glossary rule ${index + 1} (${ruleLabel(rule)})`;
  if (!compiled.ok) return { ok: false, problem: `${name} ${compiled.problem}` };
  if (compiled.regex.test('')) {
    return {
      ok: false,
      problem: `${name} matches empty text, so it would insert "${rule.replace}" everywhere`,
    };
  }
  return compiled;
}

const glossaryRules = z
  .array(glossaryRule)
  .max(GLOSSARY_LIMITS.rules, `at most ${GLOSSARY_LIMITS.rules} rules`)
  .superRefine((rules, ctx) => {
    rules.forEach((rule, index) => {
      if (rule.mode !== 'regex') return;
      const compiled = compileRegexRule(rule, index);
      if (!compiled.ok) {
        ctx.addIssue({ code: 'custom', path: [index, 'match'], message: compiled.problem });
      }
    });
  });

export const glossary = z.object({
  /**
   * Names and jargon, most important first: the initial prompt keeps the first ones that fit.
   * @default []
   */
  terms: z
    .array(glossaryTerm)
    .max(GLOSSARY_LIMITS.terms, `at most ${GLOSSARY_LIMITS.terms} terms`)
    .default([]),
  /**
   * Find-and-replace corrections, tried in order before the terms' own.
   * @default []
   */
  rules: glossaryRules.default([]),
  /**
   * Words and phrases to count (any case, whole words).
   * @default []
   */
  targets: z
    .array(phrase())
    .max(GLOSSARY_LIMITS.targets, `at most ${GLOSSARY_LIMITS.targets} targets`)
    .default([]),
});
/** A glossary with its defaults filled in. */
export type Glossary = z.infer<typeof glossary>;
/** A glossary as a person or a file writes it: everything but the term texts may be left out. */
export type GlossaryInput = z.input<typeof glossary>;
