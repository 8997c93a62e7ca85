import { describe, expect, it } from 'vitest';
import { fitPrompt, MAX_PROMPT_CHARS, WHISPER_PROMPT_TOKENS } from './prompt';

const vocabulary = ['Kubernetes', 'deploy', 'the', 'cluster', 'with', 'Helm', 'charts', 'and'];
/** `count` words of letters only (each one piece), then "finale". */
const words = (count: number) =>
  [...Array.from({ length: count }, (_, i) => vocabulary[i % vocabulary.length]), 'finale'].join(
    ' ',
  );

describe('fitPrompt', () => {
  it('leaves a prompt within the budget exactly as it is', () => {
    for (const prompt of ['', 'Kubernetes, Helm', `  ${words(150)}\n`, '東京'.repeat(50)]) {
      expect(fitPrompt(prompt)).toBe(prompt);
    }
  });

  it('keeps the final words of a long prompt, cut at a word boundary', () => {
    const prompt = words(5000);
    const fitted = fitPrompt(prompt);
    expect(prompt.endsWith(fitted)).toBe(true);
    expect(fitted.endsWith(' Helm charts and finale')).toBe(true);
    // Whole words only: the cut falls on a space, and the text starts with a word.
    expect(prompt[prompt.length - fitted.length - 1]).toBe(' ');
    expect(vocabulary).toContain(fitted.split(' ')[0]);
    // Whisper keeps its last WHISPER_PROMPT_TOKENS tokens and every word is at least one: no
    // more words than that are sent, and hardly fewer.
    const kept = fitted.split(' ').length;
    expect(kept).toBeLessThanOrEqual(WHISPER_PROMPT_TOKENS);
    expect(kept).toBeGreaterThanOrEqual(WHISPER_PROMPT_TOKENS - 1);
  });

  it('counts punctuation and numbers as the separate tokens they are', () => {
    const prompt = Array.from({ length: 300 }, (_, i) => `${i}, ok.`).join(' ');
    const fitted = fitPrompt(prompt);
    expect(prompt.endsWith(fitted)).toBe(true);
    expect(fitted.endsWith('299, ok.')).toBe(true);
    // "12, ok." is four pieces (12 , ok .): 224 of them are 56 such groups.
    expect(fitted.split(' ').length).toBeLessThanOrEqual(Math.ceil(WHISPER_PROMPT_TOKENS / 4) * 2);
  });

  it('keeps the end of one endless word, and of text without spaces', () => {
    for (const prompt of [
      'a'.repeat(40_000),
      '東京タワー'.repeat(5000),
      `${'x'.repeat(39_990)} the end`,
    ]) {
      const started = performance.now();
      const fitted = fitPrompt(prompt);
      expect(performance.now() - started).toBeLessThan(100);
      expect(fitted.length).toBeGreaterThan(0);
      expect(fitted.length).toBeLessThanOrEqual(MAX_PROMPT_CHARS);
      expect(prompt.endsWith(fitted)).toBe(true);
    }
    expect(fitPrompt(`${'x'.repeat(39_990)} the end`)).toBe('the end');
  });

  it('drops whitespace the cut leaves in front, and never splits a character', () => {
    expect(fitPrompt(`${' '.repeat(40_000)}the end`)).toBe('the end');
    const emoji = '😀'.repeat(20_000);
    const fitted = fitPrompt(emoji);
    expect(fitted.length % 2).toBe(0);
    expect(fitted.codePointAt(0)).toBe(0x1f600);
  });
});
