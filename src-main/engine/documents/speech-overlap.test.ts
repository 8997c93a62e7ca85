import { describe, expect, it } from 'vitest';
import { mergeRegions, speechShare } from './speech-overlap';

describe('mergeRegions', () => {
  it('pads, sorts and merges regions', () => {
    expect(
      mergeRegions(
        [
          { startMs: 5000, endMs: 6000 },
          { startMs: 1000, endMs: 2000 },
          { startMs: 2300, endMs: 2500 },
        ],
        200,
      ),
    ).toEqual([
      { start: 800, end: 2700 },
      { start: 4800, end: 6200 },
    ]);
  });
});

describe('speechShare', () => {
  const regions = mergeRegions(
    [
      { startMs: 1000, endMs: 2000 },
      { startMs: 3000, endMs: 4000 },
    ],
    0,
  );

  it('is the share of a span inside speech', () => {
    expect(speechShare({ start: 1200, end: 1800 }, regions)).toBe(1);
    expect(speechShare({ start: 2200, end: 2800 }, regions)).toBe(0);
    expect(speechShare({ start: 1500, end: 2500 }, regions)).toBe(0.5);
    expect(speechShare({ start: 1500, end: 3500 }, regions)).toBe(0.5);
    expect(speechShare({ start: 0, end: 5000 }, regions)).toBe(0.4);
  });

  it('places a span without length by its instant', () => {
    expect(speechShare({ start: 2000, end: 2000 }, regions)).toBe(1);
    expect(speechShare({ start: 2001, end: 2001 }, regions)).toBe(0);
    expect(speechShare({ start: 500, end: 500 }, [])).toBe(0);
  });
});
