/**
 * Hand-written Whisper results for the document tests: tokens as whisper.cpp reports them
 * (leading spaces begin words, control tokens marked special, times in ms).
 */
import type { TranscribeResult, WhisperSegment, WhisperToken } from '../../whisper/addon';
import type { BuildDocumentOptions } from '../build-document';

/** A spoken token with times. */
export function tok(text: string, t0: number | null, t1: number | null, p = 0.95): WhisperToken {
  return { id: 1000, text, p, plog: Math.log(p), t0, t1, tDtw: null, special: false };
}

/** A spoken token without times (token timestamps off). */
export function untimed(text: string, p = 0.95): WhisperToken {
  return tok(text, null, null, p);
}

/** A control token ([_BEG_], [_TT_550], <|endoftext|>). */
export function special(text: string, at: number | null = null): WhisperToken {
  return { id: 50_363, text, p: 1, plog: 0, t0: at, t1: at, tDtw: null, special: true };
}

/** A segment whose text is its tokens' text, as whisper.cpp builds it (control tokens left out). */
export function seg(t0: number, t1: number, tokens: WhisperToken[], text?: string): WhisperSegment {
  return {
    index: 0,
    t0,
    t1,
    text:
      text ??
      tokens
        .filter((t) => !t.special)
        .map((t) => t.text)
        .join(''),
    noSpeechProb: 0.01,
    tokens,
  };
}

export function result(
  segments: WhisperSegment[],
  language: string | null = 'en',
): TranscribeResult {
  return {
    segments: segments.map((s, index) => ({ ...s, index })),
    language,
    languageProbability: null,
    speechMs: 11_000,
    timings: { stateMs: 1, vadMs: 0, languageMs: 0, whisperMs: 100 },
  };
}

export const options: BuildDocumentOptions = {
  durationMs: 11_000,
  modelId: 'base.en',
  modelSha256: 'a'.repeat(64),
  params: { language: 'en', tokenTimestamps: true },
  engineVersion: '0.1.0',
  captions: {
    preset: 'broadcast',
    rules: {
      maxCharsPerLine: 42,
      maxLines: 2,
      maxCharsPerSecond: 17,
      minDurationMs: 1000,
      maxDurationMs: 7000,
      minGapMs: 80,
    },
  },
  createdAt: new Date('2025-01-02T03:04:05.000Z'),
};

/** jfk.wav (11 s) as a base.en model with token timestamps reports it. */
export const jfk: TranscribeResult = result([
  seg(0, 11_000, [
    special('[_BEG_]', 0),
    tok(' And', 320, 550, 0.97),
    tok(' so', 550, 700, 0.99),
    tok(' my', 1000, 1200, 0.98),
    tok(' fellow', 1200, 1600, 0.99),
    tok(' Ameri', 1600, 1950, 0.91),
    tok('cans', 1950, 2300, 0.99),
    tok(',', 2300, 2300, 0.62),
    tok(' ask', 3200, 3600, 0.97),
    tok(' not', 3600, 4100, 0.99),
    tok(' what', 4500, 4800, 0.98),
    tok(' your', 4800, 5000, 0.99),
    tok(' country', 5000, 5600, 0.99),
    tok(' can', 5700, 5900, 0.98),
    tok(' do', 5900, 6100, 0.99),
    tok(' for', 6100, 6300, 0.99),
    tok(' you', 6300, 6900, 0.99),
    tok(',', 6900, 6900, 0.55),
    tok(' ask', 7300, 7700, 0.96),
    tok(' what', 7700, 8000, 0.99),
    tok(' you', 8000, 8200, 0.99),
    tok(' can', 8200, 8400, 0.99),
    tok(' do', 8400, 8700, 0.99),
    tok(' for', 8700, 8900, 0.99),
    tok(' your', 8900, 9100, 0.99),
    tok(' country', 9100, 10_000, 0.99),
    tok('.', 10_000, 10_000, 0.9),
    special('[_TT_550]', 11_000),
  ]),
]);

/** The classic decoding loop: " Thank you." twelve times over, one short segment each. */
export function thankYouLoop(from = 0, each = 800): TranscribeResult {
  const segments = Array.from({ length: 12 }, (_, i) => {
    const t = from + i * each;
    return seg(t, t + each, [
      special('[_BEG_]', t),
      tok(' Thank', t + 100, t + 350, 0.6),
      tok(' you', t + 350, t + 600, 0.7),
      tok('.', t + 600, t + 600, 0.8),
      special(`[_TT_${(t + each) / 10}]`, t + each),
    ]);
  });
  return result(segments);
}
