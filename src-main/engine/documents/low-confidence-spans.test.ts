import { describe, expect, it } from 'vitest';
import type { TranscriptDocument, Word } from '../../contract/document';
import {
  allWords,
  makeDocument,
  timedWords,
  type MakeDocumentOptions,
  type TimedWordsOptions,
  type WordSpec,
} from '../../common/captions/__fixtures__/make-document';
import { broadcastRules } from '../captions/presets';
import { EngineError } from '../errors';
import { lowConfidenceSpans, type LowConfidenceSpanOptions } from './low-confidence-spans';
import { inSpan, mergeSpan } from './merge-span';
import { validateDocument } from './validate';
import { seededRandom } from './__fixtures__/random-result';

/** `count` words of `wordMs` (300 by default) from `start`, all of one confidence. */
function run(start: number, count: number, confidence: number, options: TimedWordsOptions = {}) {
  const text = Array.from({ length: count }, (_, i) => `w${i}`).join(' ');
  return timedWords(text, { start, ...options }).map((spec) => ({ ...spec, confidence }));
}

const doc = (groups: WordSpec[][], options: MakeDocumentOptions = {}) =>
  makeDocument(groups, options);

/** No padding, no minimum: the bare stretches. */
const bare = { paddingMs: 0, minSpanMs: 0 };

describe('lowConfidenceSpans', () => {
  it('takes the segments whose mean word confidence is below the threshold', () => {
    const d = doc([
      run(0, 3, 0.3),
      run(5000, 3, 0.9),
      // One very weak word among good ones: the mean (0.7) is what counts.
      [...run(10_000, 1, 0.1), ...run(10_300, 3, 0.9)],
      // Exactly at the threshold: not below it.
      run(15_000, 2, 0.5),
    ]);
    expect(lowConfidenceSpans(d, { threshold: 0.5, ...bare })).toEqual([
      { startMs: 0, endMs: 900 },
    ]);
    expect(lowConfidenceSpans(d, { threshold: 0.75, ...bare })).toEqual([
      { startMs: 0, endMs: 900 },
      { startMs: 10_000, endMs: 11_200 },
      { startMs: 15_000, endMs: 15_600 },
    ]);
    expect(lowConfidenceSpans(d, { threshold: 0.2, ...bare })).toEqual([]);
  });

  it('joins weak segments less than mergeGapMs apart', () => {
    const d = doc([run(0, 2, 0.2), run(1400, 2, 0.2), run(3200, 2, 0.2), run(5000, 2, 0.9)]);
    // Gaps: 800 ms (joined), then 1200 ms (not).
    expect(lowConfidenceSpans(d, { threshold: 0.5, ...bare })).toEqual([
      { startMs: 0, endMs: 2000 },
      { startMs: 3200, endMs: 3800 },
    ]);
    expect(lowConfidenceSpans(d, { threshold: 0.5, ...bare, mergeGapMs: 1500 })).toEqual([
      { startMs: 0, endMs: 3800 },
    ]);
    expect(lowConfidenceSpans(d, { threshold: 0.5, ...bare, mergeGapMs: 0 })).toHaveLength(3);
  });

  it('pads both sides and joins spans the padding makes overlap', () => {
    const d = doc([run(3000, 10, 0.2, { wordMs: 200 }), run(6500, 2, 0.2), run(9000, 2, 0.9)]);
    // 3000–5000 and 6500–7100: 1500 ms apart, not joined.
    expect(lowConfidenceSpans(d, { threshold: 0.5, paddingMs: 500, minSpanMs: 0 })).toEqual([
      { startMs: 2500, endMs: 5500 },
      { startMs: 6000, endMs: 7600 },
    ]);
    // 750 ms on each side closes the gap: one span.
    expect(lowConfidenceSpans(d, { threshold: 0.5, paddingMs: 750, minSpanMs: 0 })).toEqual([
      { startMs: 2250, endMs: 7850 },
    ]);
  });

  it('grows a short span evenly to minSpanMs', () => {
    const d = doc([run(0, 3, 0.9), run(5000, 1, 0.2, { wordMs: 200 }), run(9000, 2, 0.9)]);
    // 5000–5200, padded to 4500–5700 (1200 ms), grown by 400 ms on each side.
    expect(lowConfidenceSpans(d, { threshold: 0.5 })).toEqual([{ startMs: 4100, endMs: 6100 }]);
    expect(lowConfidenceSpans(d, { threshold: 0.5, minSpanMs: 0 })).toEqual([
      { startMs: 4500, endMs: 5700 },
    ]);
  });

  it('clamps to the media, shifting a grown span inwards', () => {
    const d = doc([run(100, 1, 0.2), run(5000, 3, 0.9), run(20_000, 1, 0.2)], {
      durationMs: 20_400,
    });
    expect(lowConfidenceSpans(d, { threshold: 0.5, minSpanMs: 0 })).toEqual([
      { startMs: 0, endMs: 900 },
      { startMs: 19_500, endMs: 20_400 },
    ]);
    expect(lowConfidenceSpans(d, { threshold: 0.5 })).toEqual([
      { startMs: 0, endMs: 2000 },
      { startMs: 18_400, endMs: 20_400 },
    ]);
    // Media shorter than the minimum: the whole media.
    const short = doc([run(100, 2, 0.2)], { durationMs: 1200 });
    expect(lowConfidenceSpans(short, { threshold: 0.5 })).toEqual([{ startMs: 0, endMs: 1200 }]);
  });

  it('snaps an edge that falls inside a word out to the word, so no word is cut', () => {
    const d = doc([
      [{ text: 'before', start: 1200, end: 1800, confidence: 0.9 }],
      run(2000, 2, 0.2, { wordMs: 500 }),
      [{ text: 'after', start: 3300, end: 4000, confidence: 0.9 }],
    ]);
    // Padded to 1500–3500: inside "before" and "after", so both come in whole.
    const spans = lowConfidenceSpans(d, { threshold: 0.5 });
    expect(spans).toEqual([{ startMs: 1200, endMs: 4000 }]);
    const cut = (word: Word, at: number) => word.start < at && at < word.end;
    for (const word of allWords(d)) {
      expect(cut(word, spans[0]!.startMs) || cut(word, spans[0]!.endMs)).toBe(false);
      expect(inSpan(word, spans[0]!)).toBe(true);
    }
  });

  it('splits a long span into even pieces at the gaps between segments', () => {
    // Fourteen weak segments of 5 s, 200 ms apart: 1000–73 600, padded to 500–74 100.
    const groups = Array.from({ length: 14 }, (_, i) =>
      run(1000 + i * 5200, 10, 0.2, { wordMs: 500 }),
    );
    const d = doc(groups);
    const spans = lowConfidenceSpans(d, { threshold: 0.5 });
    // Cuts in the middle of a gap (6100 + 5200 i), nearest an even share of what is left.
    expect(spans).toEqual([
      { startMs: 500, endMs: 26_900 },
      { startMs: 26_900, endMs: 52_900 },
      { startMs: 52_900, endMs: 74_100 },
    ]);
    for (const span of spans) expect(span.endMs - span.startMs).toBeLessThanOrEqual(30_000);
    expect(lowConfidenceSpans(d, { threshold: 0.5, maxSpanMs: 80_000 })).toHaveLength(1);
  });

  it('splits between the words of one segment when no segment gap is within reach', () => {
    const d = doc([run(1000, 80, 0.2, { wordMs: 500 })]);
    expect(lowConfidenceSpans(d, { threshold: 0.5 })).toEqual([
      { startMs: 500, endMs: 21_000 },
      { startMs: 21_000, endMs: 41_500 },
    ]);
    // A single word longer than maxSpanMs stays whole.
    const long = doc([[{ text: 'aaah', start: 0, end: 40_000, confidence: 0.1 }]]);
    expect(lowConfidenceSpans(long, { threshold: 0.5, paddingMs: 0 })).toEqual([
      { startMs: 0, endMs: 40_000 },
    ]);
  });

  it('leaves segments a person has edited alone', () => {
    const edited = run(0, 3, 0.2).map((spec, i) =>
      i === 1 ? { ...spec, flags: ['edited' as const] } : spec,
    );
    expect(lowConfidenceSpans(doc([edited]), { threshold: 0.5 })).toEqual([]);
  });

  it('finds nothing in a document without words', () => {
    expect(lowConfidenceSpans(doc([], { durationMs: 10_000 }), { threshold: 1 })).toEqual([]);
  });

  it('rejects bad options', () => {
    const d = doc([run(0, 3, 0.2)]);
    const bad: LowConfidenceSpanOptions[] = [
      { threshold: Number.NaN },
      { threshold: 0.5, paddingMs: -1 },
      { threshold: 0.5, maxSpanMs: 0 },
      { threshold: 0.5, minSpanMs: 1.5 },
      { threshold: 0.5, mergeGapMs: Number.POSITIVE_INFINITY },
    ];
    for (const options of bad) expect(() => lowConfidenceSpans(d, options)).toThrow(EngineError);
  });

  it('drives a draft-then-refine merge: every weak word replaced, the rest kept', () => {
    const rules = broadcastRules();
    const texts = ['good', 'bad', 'good', 'bad', 'bad', 'good'];
    const draft = doc(
      texts.map((kind, i) => run(i * 4000, 6, kind === 'bad' ? 0.3 : 0.9, { gapMs: 50 })),
      { rules },
    );
    // The larger model's run over the whole file: same timing, better words.
    const refined = makeDocument(
      texts.map((_, i) =>
        run(i * 4000 + 20, 6, 0.95, { gapMs: 50 }).map((spec) => ({ ...spec, text: 'fine' })),
      ),
      { rules },
    );
    const spans = lowConfidenceSpans(draft, { threshold: 0.6 });
    // Segments 1, 3 and 4 (2050 ms each, 1950 ms apart), padded.
    expect(spans).toEqual([
      { startMs: 3500, endMs: 6550 },
      { startMs: 11_500, endMs: 14_550 },
      { startMs: 15_500, endMs: 18_550 },
    ]);
    let merged = draft;
    spans.forEach((span, i) => {
      merged = mergeSpan(merged, refined, span, { rules, idPrefix: `r${i + 1}-` }).doc;
    });
    validateDocument(merged);
    const words = allWords(merged);
    expect(words.filter((w) => w.confidence < 0.6)).toEqual([]);
    expect(words.filter((w) => w.text === 'fine')).toHaveLength(18);
    for (const prefix of ['r1-', 'r2-', 'r3-']) {
      expect(words.filter((w) => w.id.startsWith(prefix))).toHaveLength(6);
    }
    // The good segments are the draft's own words.
    expect(words.filter((w) => w.confidence === 0.9)).toHaveLength(18);
  });
});

// --- Property test -------------------------------------------------------------------------

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

function randomDocument(rng: Rng): TranscriptDocument {
  const groups: WordSpec[][] = [];
  let clock = int(rng, 0, 3000);
  const weakness = rng();
  for (let s = int(rng, 0, 30); s > 0; s--) {
    const group: WordSpec[] = [];
    for (let w = int(rng, 1, 12); w > 0; w--) {
      if (group.length > 0) clock += rng() < 0.3 ? 0 : int(rng, 1, 500);
      const length = rng() < 0.05 ? 0 : int(rng, 1, rng() < 0.05 ? 40_000 : 900);
      const confidence = rng() < weakness ? rng() * 0.5 : 0.5 + rng() * 0.5;
      group.push({ text: 'x', start: clock, end: clock + length, confidence });
      clock += length;
    }
    groups.push(group);
    clock += rng() < 0.2 ? 0 : int(rng, 1, 4000);
  }
  // Sometimes a media length that ends before the last word (it must not be cut either).
  return makeDocument(groups, { durationMs: Math.max(0, clock + int(rng, -1000, 3000)) });
}

function randomOptions(rng: Rng): LowConfidenceSpanOptions {
  return {
    threshold: rng(),
    minSpanMs: int(rng, 0, 5000),
    paddingMs: int(rng, 0, 1500),
    mergeGapMs: int(rng, 0, 3000),
    maxSpanMs: int(rng, 1, 40_000),
  };
}

function problemWith(d: TranscriptDocument, options: LowConfidenceSpanOptions): string | undefined {
  const spans = lowConfidenceSpans(d, options);
  const segments = d.segments.map((s) => s.lines.flatMap((l) => l.words));
  const words = segments.flat();
  const mediaEnd = Math.max(d.durationMs, ...words.map((w) => w.end));
  const maxSpanMs = options.maxSpanMs ?? 30_000;
  for (const [i, span] of spans.entries()) {
    const { startMs, endMs } = span;
    if (!Number.isInteger(startMs) || !Number.isInteger(endMs)) return 'not whole ms';
    if (startMs < 0 || endMs > mediaEnd || endMs < startMs)
      return `outside the media: ${startMs}–${endMs}`;
    if (i > 0 && startMs < spans[i - 1]!.endMs) return 'overlapping or unsorted';
    const cut = words.find(
      (w) => (w.start < startMs && startMs < w.end) || (w.start < endMs && endMs < w.end),
    );
    if (cut) return `cuts the word at ${cut.start}–${cut.end}`;
    if (endMs - startMs > maxSpanMs) {
      // Too long only where no cut is possible: no two neighbouring words both reach inside.
      const splittable = words.some((a, k) => {
        const b = words[k + 1];
        return b !== undefined && a.end > startMs && b.start < endMs;
      });
      if (splittable) return `${endMs - startMs} ms could have been split`;
    }
  }
  for (const segment of segments) {
    const mean = segment.reduce((sum, w) => sum + w.confidence, 0) / segment.length;
    if (mean >= options.threshold) continue;
    const missed = segment.find(
      (w) => !spans.some((span) => inSpan(w, span)) && !(w.start === w.end && w.end === mediaEnd),
    );
    if (missed) return `weak word at ${missed.start}–${missed.end} in no span`;
  }
  return undefined;
}

describe('lowConfidenceSpans (property)', () => {
  it('gives sorted, disjoint, whole-word spans inside the media that cover every weak segment', () => {
    const rng = seededRandom(7_2025);
    for (let i = 0; i < 600; i++) {
      const d = randomDocument(rng);
      const options = randomOptions(rng);
      const problem = problemWith(d, options);
      expect(problem, `run ${i}: ${JSON.stringify({ options, d })}`).toBeUndefined();
    }
  });

  it('spans from it merge back into a valid document', () => {
    const rules = broadcastRules();
    const rng = seededRandom(99);
    for (let i = 0; i < 100; i++) {
      const draft = randomDocument(rng);
      const refined = randomDocument(rng);
      let merged = draft;
      for (const [k, span] of lowConfidenceSpans(draft, randomOptions(rng)).entries()) {
        merged = mergeSpan(merged, refined, span, { rules, idPrefix: `r${k}-` }).doc;
      }
      expect(() => validateDocument(merged), `run ${i}`).not.toThrow();
    }
  });
});
