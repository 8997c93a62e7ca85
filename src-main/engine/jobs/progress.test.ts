import { describe, expect, it } from 'vitest';
import { estimateEtaSec, overallProgress } from './progress';

const plan = [
  { stage: 'probe', weight: 2 },
  { stage: 'decode', weight: 8 },
  { stage: 'transcribe', weight: 80 },
  { stage: 'finalize', weight: 10 },
];

describe('overallProgress', () => {
  it('adds the finished stages to the share of the current one', () => {
    expect(overallProgress(plan, 'probe', 0)).toBe(0);
    expect(overallProgress(plan, 'decode', 0.5)).toBeCloseTo(0.06);
    expect(overallProgress(plan, 'transcribe', 0.25)).toBeCloseTo(0.3);
    expect(overallProgress(plan, 'finalize', 1)).toBe(1);
  });

  it('clamps the fraction and treats an unknown stage or empty plan as zero', () => {
    expect(overallProgress(plan, 'transcribe', 7)).toBeCloseTo(0.9);
    expect(overallProgress(plan, 'transcribe', -1)).toBeCloseTo(0.1);
    expect(overallProgress(plan, 'diarize', 0.5)).toBe(0);
    expect(overallProgress([], 'probe', 0.5)).toBe(0);
  });
});

describe('estimateEtaSec', () => {
  it('extrapolates from the elapsed time', () => {
    expect(estimateEtaSec(30_000, 0.25)).toBe(90);
    expect(estimateEtaSec(10_000, 1)).toBe(0);
  });

  it('says nothing while progress is too small to extrapolate', () => {
    expect(estimateEtaSec(5000, 0.01)).toBeNull();
    expect(estimateEtaSec(500, 0.5)).toBeNull();
  });
});
