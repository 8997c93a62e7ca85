import { z } from 'zod';

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
 * - 'regex': a JavaScript regular expression, `pattern` or `/pattern/flags`; `replace` may use
 *   `$1`, `$<name>`, … It must not match empty text.
 * Matches of several words ("cooper netties") are found across adjacent words.
 */
export const correctionMode = z.enum(['exact', 'case-insensitive', 'whole-word', 'regex']);
export type CorrectionMode = z.infer<typeof correctionMode>;

export const glossaryTerm = z.object({
  /** The term as it must be written, e.g. "Kubernetes". */
  term: z.string().trim().min(1),
  /**
   * How Whisper mishears it ("cooper netties"); each is replaced by the term as whole words, in
   * any case.
   * @default []
   */
  soundsLike: z.array(z.string().trim().min(1)).default([]),
  /**
   * Also write the term as given where it appears in another case ("kubernetes").
   * @default true
   */
  fixCase: z.boolean().default(true),
});
export type GlossaryTerm = z.infer<typeof glossaryTerm>;

export const glossaryRule = z.object({
  match: z.string().min(1),
  replace: z.string(),
  /** @default 'whole-word' */
  mode: correctionMode.default('whole-word'),
});
export type GlossaryRule = z.infer<typeof glossaryRule>;

export const glossary = z.object({
  /**
   * Names and jargon, most important first: the initial prompt keeps the first ones that fit.
   * @default []
   */
  terms: z.array(glossaryTerm).default([]),
  /**
   * Find-and-replace corrections, tried in order before the terms' own.
   * @default []
   */
  rules: z.array(glossaryRule).default([]),
  /**
   * Words and phrases to count (any case, whole words).
   * @default []
   */
  targets: z.array(z.string().trim().min(1)).default([]),
});
/** A glossary with its defaults filled in. */
export type Glossary = z.infer<typeof glossary>;
/** A glossary as a person or a file writes it: everything but the term texts may be left out. */
export type GlossaryInput = z.input<typeof glossary>;
