/**
 * The glossary's terms as Whisper's initial prompt, within Whisper's prompt budget.
 *
 * whisper.cpp keeps at most n_text_ctx / 2 = 224 prompt tokens and, when there are more, drops
 * the oldest, i.e. the start of the prompt, where the most important terms are. So the prompt is
 * built to fit: terms in glossary order (most important first), each whole or not at all; a term
 * that does not fit is skipped and shorter ones after it may still go in.
 */
import { EngineError } from '../errors';
import type { GlossaryInput } from '../../contract/glossary';
import { WHISPER_PROMPT_TOKENS } from '../whisper/prompt';
import { parseGlossary } from './glossary';

export interface InitialPromptOptions {
  /**
   * Token budget of the prompt.
   * @default 224 (whisper.cpp's limit, n_text_ctx / 2)
   */
  maxTokens?: number;
  /**
   * Counts the tokens of a text, e.g. with the model's tokenizer.
   * @default estimateTokens, a conservative estimate
   */
  countTokens?: (text: string) => number;
}

export { WHISPER_PROMPT_TOKENS };
const SEPARATOR = ', ';
const utf8 = new TextEncoder();

/** The initial prompt for `glossary`: its terms, comma-separated; '' without terms. */
export function buildInitialPrompt(
  input: GlossaryInput,
  options: InitialPromptOptions = {},
): string {
  const { terms } = parseGlossary(input);
  const maxTokens = options.maxTokens ?? WHISPER_PROMPT_TOKENS;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `maxTokens must be a whole number ≥ 1, not ${String(maxTokens)}.`,
    );
  }
  const count = options.countTokens ?? estimateTokens;
  const seen = new Set<string>();
  let prompt = '';
  for (const { term } of terms) {
    const key = term.toLowerCase();
    if (seen.has(key)) continue;
    const candidate = prompt === '' ? term : prompt + SEPARATOR + term;
    if (count(candidate) > maxTokens) continue;
    prompt = candidate;
    seen.add(key);
  }
  return prompt;
}

/**
 * A conservative estimate of how many Whisper (GPT-2 byte-level BPE) tokens `text` takes, for use
 * without the model's tokenizer. English averages about 4 characters a token, but names and
 * jargon, the glossary's business, split finer, so: every run of ASCII letters and digits counts
 * one token per 3 characters (rounded up; a preceding space rides along for free, as in BPE), every
 * other ASCII character one token, and every other character one token per UTF-8 byte, the
 * byte-level worst case (é = 2, 東 = 3). Real counts are usually lower, so prompts come out a
 * little short rather than cut at the start.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const [run] of text.matchAll(/[A-Za-z0-9]+|[\s\S]/gu)) {
    if (/^[A-Za-z0-9]/.test(run)) tokens += Math.ceil(run.length / 3);
    else if (run === ' ') continue;
    else if (run.charCodeAt(0) < 0x80) tokens += 1;
    else tokens += utf8.encode(run).length;
  }
  return tokens;
}
