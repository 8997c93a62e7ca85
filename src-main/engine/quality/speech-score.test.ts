import { describe, expect, it } from 'vitest';
import {
  combineSpeechScores,
  intersectRegions,
  speechRegionScore,
  subtractRegions,
  unionRegions,
} from './speech-score';

const r = (start: number, end: number) => ({ start, end });

describe('speechRegionScore', () => {
  it('scores seconds of overlap (hand case)', () => {
    // reference 0–10 s; predicted 2–12 s: 8 s right, 2 s false alarm, 2 s missed.
    const score = speechRegionScore([r(2, 12)], [r(0, 10)]);
    expect(score).toMatchObject({
      truePositiveSec: 8,
      falsePositiveSec: 2,
      falseNegativeSec: 2,
      referenceSec: 10,
      predictedSec: 10,
    });
    expect(score.precision).toBeCloseTo(0.8, 12);
    expect(score.recall).toBeCloseTo(0.8, 12);
    expect(score.f1).toBeCloseTo(0.8, 12);
  });

  it('computes precision, recall and F1 separately (hand case)', () => {
    // reference 0–4 and 6–10 (8 s); predicted 1–3 (2 s, all right).
    const score = speechRegionScore([r(1, 3)], [r(0, 4), r(6, 10)]);
    expect(score.precision).toBe(1);
    expect(score.recall).toBe(0.25);
    expect(score.f1).toBeCloseTo((2 * 1 * 0.25) / 1.25, 12);
  });

  it('counts overlapping speakers once and accepts any order', () => {
    const score = speechRegionScore([r(0, 6)], [r(3, 6), r(0, 4), r(1, 2)]);
    expect(score).toMatchObject({ referenceSec: 6, precision: 1, recall: 1, f1: 1 });
  });

  it('leaves a collar on each side of every reference boundary unscored', () => {
    // reference 2–8; predicted 1.8–8.3. Collar 0.5: no-score 1.5–2.5 and 7.5–8.5, so the
    // scored reference is 2.5–7.5 (5 s), all found, and no false alarm remains.
    const score = speechRegionScore([r(1.8, 8.3)], [r(2, 8)], { collar: 0.5 });
    expect(score).toMatchObject({ referenceSec: 5, predictedSec: 5, precision: 1, recall: 1 });
    // Without the collar the 0.5 s of boundary slop counts as false alarm.
    const strict = speechRegionScore([r(1.8, 8.3)], [r(2, 8)]);
    expect(strict.falsePositiveSec).toBeCloseTo(0.5, 12);
    expect(strict.precision).toBeCloseTo(6 / 6.5, 12);
  });

  it('scores only inside the scored regions (UEM)', () => {
    // scored 0–5: reference 4–5 (1 s), predicted 3–5 (2 s) → precision 0.5, recall 1.
    const score = speechRegionScore([r(3, 7)], [r(4, 9)], { scored: [r(0, 5)] });
    expect(score).toMatchObject({ referenceSec: 1, predictedSec: 2, precision: 0.5, recall: 1 });
  });

  it('handles empty inputs', () => {
    expect(speechRegionScore([], [])).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(speechRegionScore([], [r(0, 1)])).toMatchObject({ precision: 1, recall: 0, f1: 0 });
    expect(speechRegionScore([r(0, 1)], [])).toMatchObject({ precision: 0, recall: 1, f1: 0 });
    expect(() => speechRegionScore([], [], { collar: -1 })).toThrow(RangeError);
  });

  it('combines files by summing seconds', () => {
    const a = speechRegionScore([r(0, 10)], [r(0, 10)]); // 10 s right
    const b = speechRegionScore([r(0, 2)], [r(0, 4)]); // 2 s right, 2 s missed
    const total = combineSpeechScores([a, b]);
    expect(total).toMatchObject({ truePositiveSec: 12, referenceSec: 14, predictedSec: 12 });
    expect(total.recall).toBeCloseTo(12 / 14, 12);
    expect(total.precision).toBe(1);
  });
});

describe('region helpers', () => {
  it('unions, intersects and subtracts', () => {
    expect(unionRegions([r(5, 6), r(0, 2), r(1, 3), r(3, 4), r(7, 7)])).toEqual([r(0, 4), r(5, 6)]);
    expect(intersectRegions([r(0, 4), r(5, 9)], [r(3, 6), r(8, 10)])).toEqual([
      r(3, 4),
      r(5, 6),
      r(8, 9),
    ]);
    expect(subtractRegions([r(0, 10), r(12, 14)], [r(1, 2), r(3, 4), r(9, 13)])).toEqual([
      r(0, 1),
      r(2, 3),
      r(4, 9),
      r(13, 14),
    ]);
    expect(subtractRegions([r(0, 1)], [r(-1, 2)])).toEqual([]);
  });
});
