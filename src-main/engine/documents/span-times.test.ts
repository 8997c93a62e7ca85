import { describe, expect, it } from 'vitest';
import { ensureMinDuration, fillUntimed, orderSpans, placeSpans, type Span } from './span-times';
import { seededRandom } from './__fixtures__/random-result';

describe('fillUntimed', () => {
  it('shares the free time between timed neighbours by weight', () => {
    expect(
      fillUntimed(
        [
          { start: null, end: null, weight: 1 },
          { start: 200, end: 300, weight: 5 },
          { start: null, end: null, weight: 1 },
          { start: null, end: null, weight: 3 },
          { start: 700, end: 800, weight: 1 },
        ],
        100,
        1000,
      ),
    ).toEqual([
      { start: 100, end: 200 },
      { start: 200, end: 300 },
      { start: 300, end: 400 },
      { start: 400, end: 700 },
      { start: 700, end: 800 },
    ]);
  });

  it('clamps timed spans into the bounds and reads reversed ones forwards', () => {
    expect(fillUntimed([{ start: 900, end: 50, weight: 1 }], 100, 500)).toEqual([
      { start: 100, end: 500 },
    ]);
  });

  it('gives untimed spans zero length where no time is free', () => {
    expect(
      fillUntimed(
        [
          { start: 100, end: 600, weight: 1 },
          { start: null, end: null, weight: 1 },
          { start: 400, end: 500, weight: 1 },
        ],
        0,
        1000,
      ),
    ).toEqual([
      { start: 100, end: 600 },
      { start: 600, end: 600 },
      { start: 400, end: 500 },
    ]);
  });
});

describe('orderSpans', () => {
  it('moves a start that runs backwards up and cuts an overlapping end back', () => {
    expect(
      orderSpans(
        [
          { start: 100, end: 900 },
          { start: 50, end: 300 },
          { start: 400, end: 500 },
        ],
        0,
        1000,
      ),
    ).toEqual([
      { start: 100, end: 100 },
      { start: 100, end: 300 },
      { start: 400, end: 500 },
    ]);
  });
});

describe('ensureMinDuration', () => {
  it('takes free time after, then before a short span', () => {
    expect(
      ensureMinDuration(
        [
          { start: 0, end: 100 },
          { start: 104, end: 104 },
          { start: 110, end: 200 },
        ],
        0,
        200,
        10,
      ),
    ).toEqual([
      { start: 0, end: 100 },
      { start: 100, end: 110 },
      { start: 110, end: 200 },
    ]);
  });

  it('pushes neighbours along and pulls them back at the upper bound', () => {
    expect(
      ensureMinDuration(
        [
          { start: 0, end: 0 },
          { start: 0, end: 0 },
          { start: 0, end: 25 },
        ],
        0,
        30,
        10,
      ),
    ).toEqual([
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 20, end: 30 },
    ]);
  });
});

describe('placeSpans (property)', () => {
  it('always returns ordered, non-overlapping spans in bounds, 10 ms each where room allows', () => {
    const rng = seededRandom(7);
    const problems: string[] = [];
    for (let run = 0; run < 3000; run++) {
      const lo = Math.floor(rng() * 1000);
      const hi = lo + Math.floor(rng() * (rng() < 0.3 ? 40 : 3000));
      const n = 1 + Math.floor(rng() * 12);
      const raw = Array.from({ length: n }, () => {
        if (rng() < 0.25) return { start: null, end: null, weight: Math.floor(rng() * 8) };
        const start = lo - 500 + Math.floor(rng() * (hi - lo + 1000));
        return { start, end: start + Math.floor(rng() * 800) - 200, weight: 3 };
      });
      const spans = placeSpans(raw, lo, hi, 10);
      const problem = spanProblem(spans, lo, hi, n);
      if (problem)
        problems.push(`run ${run} ${JSON.stringify({ lo, hi, raw, spans })}: ${problem}`);
    }
    expect(problems).toEqual([]);
  });
});

function spanProblem(spans: Span[], lo: number, hi: number, n: number): string | undefined {
  if (spans.length !== n) return `${spans.length} spans for ${n}`;
  for (const [i, span] of spans.entries()) {
    if (!Number.isInteger(span.start) || !Number.isInteger(span.end))
      return `span ${i} not whole ms`;
    if (span.start < (i === 0 ? lo : spans[i - 1]!.end)) return `span ${i} starts too early`;
    if (span.end < span.start) return `span ${i} ends before it starts`;
    if (span.end > hi) return `span ${i} ends after ${hi}`;
    if (hi - lo >= n * 10 && span.end - span.start < 10) return `span ${i} shorter than 10 ms`;
  }
  return undefined;
}
