/**
 * Whisper's prompt budget. The decoder is given at most n_text_ctx / 2 = 224 tokens of prompt
 * (every Whisper model has n_text_ctx 448); whisper.cpp keeps the last ones, and OpenAI documents
 * its `prompt` the same way: only the final 224 tokens count. Anything before them is dead
 * weight that whisper.cpp still has to tokenize, which is slow on a long prompt and, on one long
 * word, overflowed its stack (see native/src/transcribe.cpp, which guards itself too).
 *
 * `fitPrompt` cuts a prompt to its end before it goes anywhere near native code: every
 * transcription's options pass through it in params.ts, whoever wrote the prompt (the OpenAI
 * endpoint's `prompt`, a glossary's terms, live captions' committed text).
 */

/** The most prompt tokens Whisper uses: n_text_ctx / 2. */
export const WHISPER_PROMPT_TOKENS = 224;

/**
 * The most characters a cut prompt keeps: 8 per token, room for WHISPER_PROMPT_TOKENS tokens of
 * any ordinary text (English averages about 4 characters a token). Only text without spaces (one
 * endless word, a script written without spaces) is cut by this rather than by pieces.
 */
export const MAX_PROMPT_CHARS = WHISPER_PROMPT_TOKENS * 8;

/**
 * The pieces GPT-2's tokenizer (Whisper's) splits text into before it looks up tokens: a word with
 * its leading space, a number, a run of punctuation, whitespace. Each is at least one token, so
 * counting them gives a lower bound on the tokens.
 */
const PIECE = /'(?:s|t|re|ve|m|ll|d)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+/gu;

/**
 * The end of `prompt` that Whisper's budget holds: at most WHISPER_PROMPT_TOKENS pieces (so at
 * least as many tokens as Whisper keeps, where the text has them) and MAX_PROMPT_CHARS
 * characters, starting at a word boundary, without the whitespace in front. A prompt within the
 * budget is returned as it is.
 */
export function fitPrompt(prompt: string): string {
  if (prompt.length <= WHISPER_PROMPT_TOKENS) return prompt;
  let start = Math.max(0, prompt.length - MAX_PROMPT_CHARS);
  if (isLowSurrogate(prompt.charCodeAt(start))) start++;
  const pieces = [...prompt.slice(start).matchAll(PIECE)];
  if (pieces.length > WHISPER_PROMPT_TOKENS) {
    start += pieces[pieces.length - WHISPER_PROMPT_TOKENS]!.index;
  }
  if (start === 0) return prompt;
  // Inside a word: drop what is left of it, unless the whole tail is that one word.
  if (!isSpace(prompt[start - 1]!) && !isSpace(prompt[start]!)) {
    const next = prompt.slice(start).search(/\s/u);
    if (next >= 0) start += next;
  }
  return prompt.slice(start).trimStart();
}

function isSpace(char: string): boolean {
  return /\s/u.test(char);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
