import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors';
import { buildInitialPrompt, estimateTokens, WHISPER_PROMPT_TOKENS } from './initial-prompt';

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('buildInitialPrompt', () => {
  it('lists the terms, most important first', () => {
    expect(
      buildInitialPrompt({
        terms: [
          { term: 'Kubernetes' },
          { term: 'PostgreSQL' },
          { term: 'kubernetes' },
          { term: 'Grafana' },
        ],
      }),
    ).toBe('Kubernetes, PostgreSQL, Grafana');
    expect(buildInitialPrompt({})).toBe('');
  });

  it('stays within the budget, keeping terms whole and skipping those that do not fit', () => {
    const prompt = buildInitialPrompt(
      { terms: [{ term: 'alpha beta' }, { term: 'a very long term indeed' }, { term: 'gamma' }] },
      { maxTokens: 3, countTokens: words },
    );
    expect(prompt).toBe('alpha beta, gamma');
  });

  it('fills whisper’s 224-token budget and no more by default', () => {
    const terms = Array.from({ length: 200 }, (_, i) => ({ term: `Term${i}x` }));
    const prompt = buildInitialPrompt({ terms });
    expect(estimateTokens(prompt)).toBeLessThanOrEqual(WHISPER_PROMPT_TOKENS);
    expect(estimateTokens(`${prompt}, Term199x`)).toBeGreaterThan(WHISPER_PROMPT_TOKENS);
    expect(prompt.startsWith('Term0x, Term1x, ')).toBe(true);
  });

  it('rejects a budget that is not a positive whole number', () => {
    for (const maxTokens of [0, -5, 2.5]) {
      let error: unknown;
      try {
        buildInitialPrompt({ terms: [{ term: 'x' }] }, { maxTokens });
      } catch (e) {
        error = e;
      }
      expect(isEngineError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('estimateTokens', () => {
  it('counts ASCII words by 3 characters, other ASCII by 1, other characters by UTF-8 byte', () => {
    expect(estimateTokens('Kubernetes')).toBe(4);
    expect(estimateTokens(' so')).toBe(1);
    expect(estimateTokens('a, b')).toBe(3);
    expect(estimateTokens('café')).toBe(3);
    expect(estimateTokens('東京')).toBe(6);
    expect(estimateTokens('')).toBe(0);
  });

  it('lets one space before a word ride along but counts other spaces', () => {
    expect(estimateTokens('a b')).toBe(2);
    expect(estimateTokens('a\tb')).toBe(3);
  });
});
