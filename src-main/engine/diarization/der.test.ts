import { describe, expect, it } from 'vitest';
import { combineDer, diarizationErrorRate } from './der';
import type { SpeakerTurn } from './speaker-turns';

const turn = (speaker: string, start: number, end: number): SpeakerTurn => ({
  start,
  end,
  speaker,
});
/** A talks 0–10 s, B 10–20 s. */
const twoSpeakers = [turn('A', 0, 10), turn('B', 10, 20)];
const noCollar = { collar: 0 };

function expectScore(
  result: ReturnType<typeof diarizationErrorRate>,
  expected: { reference: number; missed: number; falseAlarm: number; confusion: number },
): void {
  expect(result.referenceSec).toBeCloseTo(expected.reference, 9);
  expect(result.missedSec).toBeCloseTo(expected.missed, 9);
  expect(result.falseAlarmSec).toBeCloseTo(expected.falseAlarm, 9);
  expect(result.confusionSec).toBeCloseTo(expected.confusion, 9);
  const errors = expected.missed + expected.falseAlarm + expected.confusion;
  expect(result.der).toBeCloseTo(errors / expected.reference, 9);
}

describe('diarizationErrorRate: hand-computed cases', () => {
  it('is 0 for a perfect hypothesis', () => {
    const result = diarizationErrorRate(twoSpeakers, twoSpeakers, noCollar);
    expectScore(result, { reference: 20, missed: 0, falseAlarm: 0, confusion: 0 });
    expect(result.mapping).toEqual(
      new Map([
        ['A', 'A'],
        ['B', 'B'],
      ]),
    );
  });

  it('is 1 when everything is missed', () => {
    const result = diarizationErrorRate(twoSpeakers, [], noCollar);
    expectScore(result, { reference: 20, missed: 20, falseAlarm: 0, confusion: 0 });
    expect(result.der).toBe(1);
  });

  it('is 0 for swapped or renamed labels, thanks to the mapping', () => {
    const swapped = [turn('B', 0, 10), turn('A', 10, 20)];
    const result = diarizationErrorRate(twoSpeakers, swapped, noCollar);
    expect(result.der).toBe(0);
    expect(result.mapping).toEqual(
      new Map([
        ['B', 'A'],
        ['A', 'B'],
      ]),
    );
    const renamed = [turn('spk1', 0, 10), turn('spk0', 10, 20)];
    expect(diarizationErrorRate(twoSpeakers, renamed, noCollar).der).toBe(0);
  });

  it('counts a late speaker change as confusion', () => {
    // X covers A (0–10) and the first 4 s of B; Y the rest of B. X→A, Y→B; 10–14 s is wrong.
    const result = diarizationErrorRate(
      twoSpeakers,
      [turn('X', 0, 14), turn('Y', 14, 20)],
      noCollar,
    );
    expectScore(result, { reference: 20, missed: 0, falseAlarm: 0, confusion: 4 });
    expect(result.der).toBeCloseTo(0.2, 9);
  });

  it('uses the optimal mapping, not the greedy one', () => {
    // A 0–12, B 12–18; X 0–7 and 12–18, Y 7–12. Together: A·X 7, A·Y 5, B·X 6, B·Y 0.
    // Greedy (A→X first) scores 7 correct s; the optimum X→B, Y→A scores 6 + 5 = 11.
    const reference = [turn('A', 0, 12), turn('B', 12, 18)];
    const hypothesis = [turn('X', 0, 7), turn('Y', 7, 12), turn('X', 12, 18)];
    const result = diarizationErrorRate(reference, hypothesis, noCollar);
    expectScore(result, { reference: 18, missed: 0, falseAlarm: 0, confusion: 7 });
    expect(result.mapping).toEqual(
      new Map([
        ['Y', 'A'],
        ['X', 'B'],
      ]),
    );
  });

  it('counts speech where there is none as false alarm', () => {
    const result = diarizationErrorRate([turn('A', 0, 10)], [turn('X', 0, 12)], noCollar);
    expectScore(result, { reference: 10, missed: 0, falseAlarm: 2, confusion: 0 });
    // An extra hypothesis speaker on top of a correct one is false alarm, not confusion.
    const extra = diarizationErrorRate(
      [turn('A', 0, 10)],
      [turn('X', 0, 10), turn('Z', 2, 5)],
      noCollar,
    );
    expectScore(extra, { reference: 10, missed: 0, falseAlarm: 3, confusion: 0 });
  });

  it('ignores errors within the collar of a reference boundary (±collar, md-eval convention)', () => {
    const late = [turn('A', 0, 10.2), turn('B', 10.2, 20)];
    expectScore(diarizationErrorRate(twoSpeakers, late, noCollar), {
      reference: 20,
      missed: 0,
      falseAlarm: 0,
      confusion: 0.2,
    });
    // ±0.25 s around 0, 10 and 20 is not scored: 20 − 0.25 − 0.5 − 0.25 = 19 s remain, all right.
    expectScore(diarizationErrorRate(twoSpeakers, late, { collar: 0.25 }), {
      reference: 19,
      missed: 0,
      falseAlarm: 0,
      confusion: 0,
    });
    // The default collar is ±0.25 s: the same.
    expect(diarizationErrorRate(twoSpeakers, late).referenceSec).toBeCloseTo(19, 9);
    // A change 0.3 s late still counts its last 0.05 s outside the collar.
    const later = [turn('A', 0, 10.3), turn('B', 10.3, 20)];
    expect(diarizationErrorRate(twoSpeakers, later).confusionSec).toBeCloseTo(0.05, 9);
    // False alarm beyond the collar counts: A 0–10, X 0–12 → 12 − 10.25 = 1.75 s of 9.5 s.
    const fa = diarizationErrorRate([turn('A', 0, 10)], [turn('X', 0, 12)]);
    expectScore(fa, { reference: 9.5, missed: 0, falseAlarm: 1.75, confusion: 0 });
  });

  it('scores only inside the UEM regions', () => {
    const oneSpeaker = [turn('X', 0, 20)];
    expectScore(diarizationErrorRate(twoSpeakers, oneSpeaker, noCollar), {
      reference: 20,
      missed: 0,
      falseAlarm: 0,
      confusion: 10,
    });
    const firstHalf = diarizationErrorRate(twoSpeakers, oneSpeaker, {
      collar: 0,
      scored: [{ start: 0, end: 10 }],
    });
    expectScore(firstHalf, { reference: 10, missed: 0, falseAlarm: 0, confusion: 0 });
    // False alarm outside the UEM does not count either.
    const outside = diarizationErrorRate([turn('A', 5, 10)], [turn('X', 0, 10)], {
      collar: 0,
      scored: [{ start: 4, end: 12 }],
    });
    expectScore(outside, { reference: 5, missed: 0, falseAlarm: 1, confusion: 0 });
  });

  it('counts overlapped speech once per speaker', () => {
    // A 0–10 and B 5–15 overlap 5–10: 20 s of reference speech.
    const reference = [turn('A', 0, 10), turn('B', 5, 15)];
    expectScore(diarizationErrorRate(reference, reference, noCollar), {
      reference: 20,
      missed: 0,
      falseAlarm: 0,
      confusion: 0,
    });
    // One speaker for everything: 5–10 misses one speaker (5 s) and whichever of A or B is not
    // mapped to X is confused for its 5 s alone.
    expectScore(diarizationErrorRate(reference, [turn('X', 0, 15)], noCollar), {
      reference: 20,
      missed: 5,
      falseAlarm: 0,
      confusion: 5,
    });
  });

  it('joins overlapping turns of one speaker before scoring', () => {
    const reference = [turn('A', 0, 5), turn('A', 3, 8)];
    const result = diarizationErrorRate(reference, [turn('X', 0, 8), turn('X', 1, 2)], noCollar);
    expectScore(result, { reference: 8, missed: 0, falseAlarm: 0, confusion: 0 });
    // No boundary at 5 s (inside the union), so only ±0.25 s around 0 and 8 are excluded.
    expect(diarizationErrorRate(reference, reference).referenceSec).toBeCloseTo(7.5, 9);
  });

  it('handles empty references and refuses a bad collar', () => {
    expect(diarizationErrorRate([], []).der).toBe(0);
    expect(diarizationErrorRate([], [turn('X', 0, 1)]).der).toBe(Number.POSITIVE_INFINITY);
    expect(() => diarizationErrorRate(twoSpeakers, [], { collar: -1 })).toThrow(RangeError);
  });
});

describe('combineDer', () => {
  it('weighs files by their reference speech', () => {
    const a = diarizationErrorRate(twoSpeakers, [turn('X', 0, 20)], noCollar); // 10 of 20 s
    const b = diarizationErrorRate([turn('A', 0, 5)], [turn('X', 0, 5)], noCollar); // 0 of 5 s
    const total = combineDer([a, b]);
    expect(total.referenceSec).toBeCloseTo(25, 9);
    expect(total.confusionSec).toBeCloseTo(10, 9);
    expect(total.der).toBeCloseTo(0.4, 9);
  });
});
