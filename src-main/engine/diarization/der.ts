/**
 * Diarization error rate (DER), as NIST's md-eval and pyannote.metrics compute it:
 *
 *   DER = (missed speech + false alarm + speaker confusion) / total reference speech
 *
 * all in seconds inside the scored zone. The timeline is cut wherever any speaker starts or stops;
 * on a piece of length d with N_ref reference and N_hyp hypothesis speakers active, of which
 * N_correct reference speakers are active together with the hypothesis speaker mapped to them:
 *
 *   reference  += d · N_ref
 *   missed     += d · max(0, N_ref − N_hyp)
 *   falseAlarm += d · max(0, N_hyp − N_ref)
 *   confusion  += d · (min(N_ref, N_hyp) − N_correct)
 *
 * so overlapping speech counts once per speaker. The mapping pairs each hypothesis speaker with
 * at most one reference speaker so that the total time they speak together in the scored zone is
 * as large as possible (an optimal assignment, as both tools do); label names never matter.
 *
 * Scored zone: the `scored` regions (a UEM) or, without them, the whole timeline, minus a
 * no-score collar of `collar` seconds on EACH side of every point where a reference speaker
 * starts or stops talking. This is md-eval's convention (`-c 0.25` = ±0.25 s); pyannote.metrics'
 * `collar` is the total width, so its `collar=0.5` equals `collar: 0.25` here. A speaker's
 * turns are first joined into their union, so touching or overlapping turns of one speaker make
 * no boundary and never count twice.
 */
import {
  intersectRegions,
  subtractRegions,
  unionRegions,
  type TimeRegion,
} from '../quality/speech-score';
import { maxWeightAssignment } from './assignment';
import type { SpeakerTurn } from './speaker-turns';

/** The collar used unless told otherwise: ±0.25 s around reference boundaries (md-eval `-c 0.25`). */
export const DEFAULT_DER_COLLAR_SEC = 0.25;

export interface DerOptions {
  /**
   * Seconds not scored on each side of every reference speaker boundary (md-eval's `-c`).
   * @default 0.25
   */
  collar?: number;
  /** Only these regions are scored (a UEM). @default everything */
  scored?: readonly TimeRegion[];
}

export interface DerScore {
  /** Seconds of reference speech scored, overlapped speech counted once per speaker. */
  referenceSec: number;
  missedSec: number;
  falseAlarmSec: number;
  confusionSec: number;
  /**
   * (missed + false alarm + confusion) / reference; 0 when there is neither reference speech nor
   * error, Infinity when there is error but no reference speech.
   */
  der: number;
}

export interface DerResult extends DerScore {
  /** Hypothesis speaker → the reference speaker it was mapped to (pairs that speak together only). */
  mapping: Map<string, string>;
}

/** Scores `hypothesis` turns against `reference` turns, as described above. */
export function diarizationErrorRate(
  reference: readonly SpeakerTurn[],
  hypothesis: readonly SpeakerTurn[],
  options: DerOptions = {},
): DerResult {
  const { collar = DEFAULT_DER_COLLAR_SEC, scored } = options;
  if (!(Number.isFinite(collar) && collar >= 0)) {
    throw new RangeError(`collar must be a finite number ≥ 0, not ${collar}`);
  }
  const refSpeakers = regionsPerSpeaker(reference);
  const hypSpeakers = regionsPerSpeaker(hypothesis);

  let zone: TimeRegion[] = scored
    ? unionRegions(scored)
    : [{ start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY }];
  if (collar > 0) {
    const boundaries = [...refSpeakers.values()].flat().flatMap((r) => [r.start, r.end]);
    const noScore = unionRegions(boundaries.map((t) => ({ start: t - collar, end: t + collar })));
    zone = subtractRegions(zone, noScore);
  }
  const refRegions = [...refSpeakers.values()].map((r) => intersectRegions(r, zone));
  const hypRegions = [...hypSpeakers.values()].map((r) => intersectRegions(r, zone));

  const sweep = sweepSpeakers(refRegions, hypRegions);
  const mapped = maxWeightAssignment(sweep.together);
  const refNames = [...refSpeakers.keys()];
  const hypNames = [...hypSpeakers.keys()];
  const mapping = new Map<string, string>();
  let correctSec = 0;
  mapped.forEach((h, r) => {
    const together = h < 0 ? 0 : sweep.together[r]![h]!;
    if (together <= 0) return;
    correctSec += together;
    mapping.set(hypNames[h]!, refNames[r]!);
  });
  return {
    ...score(
      sweep.referenceSec,
      sweep.missedSec,
      sweep.falseAlarmSec,
      sweep.matchableSec - correctSec,
    ),
    mapping,
  };
}

/**
 * Sums the seconds of several scores (one per file) and recomputes the DER from the sums, so
 * that each file weighs as much as its reference speech.
 */
export function combineDer(scores: readonly DerScore[]): DerScore {
  let reference = 0;
  let missed = 0;
  let falseAlarm = 0;
  let confusion = 0;
  for (const s of scores) {
    reference += s.referenceSec;
    missed += s.missedSec;
    falseAlarm += s.falseAlarmSec;
    confusion += s.confusionSec;
  }
  return score(reference, missed, falseAlarm, confusion);
}

function score(
  referenceSec: number,
  missedSec: number,
  falseAlarmSec: number,
  confusionSec: number,
): DerScore {
  // Sums of float differences can leave a -1e-15 where the answer is 0.
  const clean = (sec: number) => (Math.abs(sec) < 1e-9 ? 0 : sec);
  const [missed, falseAlarm, confusion] = [missedSec, falseAlarmSec, confusionSec].map(clean) as [
    number,
    number,
    number,
  ];
  const errors = missed + falseAlarm + confusion;
  return {
    referenceSec,
    missedSec: missed,
    falseAlarmSec: falseAlarm,
    confusionSec: confusion,
    der: referenceSec > 0 ? errors / referenceSec : errors > 0 ? Number.POSITIVE_INFINITY : 0,
  };
}

/** Each speaker's turns as one union of regions, speakers in order of first appearance. */
function regionsPerSpeaker(turns: readonly SpeakerTurn[]): Map<string, TimeRegion[]> {
  const bySpeaker = new Map<string, TimeRegion[]>();
  for (const { start, end, speaker } of turns) {
    if (!(Number.isFinite(start) && Number.isFinite(end))) {
      throw new RangeError(`turn times must be finite, not ${start}–${end} (${speaker})`);
    }
    let regions = bySpeaker.get(speaker);
    if (!regions) bySpeaker.set(speaker, (regions = []));
    regions.push({ start, end });
  }
  for (const [speaker, regions] of bySpeaker) bySpeaker.set(speaker, unionRegions(regions));
  return bySpeaker;
}

interface Sweep {
  referenceSec: number;
  missedSec: number;
  falseAlarmSec: number;
  /** Σ d · min(N_ref, N_hyp): the most time that any mapping could count as correct. */
  matchableSec: number;
  /** together[r][h]: seconds reference speaker r and hypothesis speaker h speak at once. */
  together: number[][];
}

/** Walks the pieces between consecutive boundaries with the set of active speakers of each side. */
function sweepSpeakers(ref: readonly TimeRegion[][], hyp: readonly TimeRegion[][]): Sweep {
  // One event per region edge: +1 starts a speaker, -1 stops it; index < ref.length is a
  // reference speaker, the rest are hypothesis speakers.
  const events: { t: number; delta: 1 | -1; speaker: number }[] = [];
  [...ref, ...hyp].forEach((regions, speaker) => {
    for (const r of regions) {
      events.push({ t: r.start, delta: 1, speaker }, { t: r.end, delta: -1, speaker });
    }
  });
  events.sort((a, b) => a.t - b.t);

  const active = new Uint8Array(ref.length + hyp.length);
  const together = ref.map(() => new Array<number>(hyp.length).fill(0));
  const sweep: Sweep = {
    referenceSec: 0,
    missedSec: 0,
    falseAlarmSec: 0,
    matchableSec: 0,
    together,
  };
  for (let i = 0; i < events.length;) {
    const t = events[i]!.t;
    for (; i < events.length && events[i]!.t === t; i++) {
      const { delta, speaker } = events[i]!;
      active[speaker] = active[speaker]! + delta;
    }
    const next = events[i]?.t;
    if (next === undefined) break;
    const d = next - t;
    const refActive: number[] = [];
    const hypActive: number[] = [];
    active.forEach((on, speaker) => {
      if (on === 0) return;
      if (speaker < ref.length) refActive.push(speaker);
      else hypActive.push(speaker - ref.length);
    });
    const nRef = refActive.length;
    const nHyp = hypActive.length;
    sweep.referenceSec += d * nRef;
    sweep.missedSec += d * Math.max(0, nRef - nHyp);
    sweep.falseAlarmSec += d * Math.max(0, nHyp - nRef);
    sweep.matchableSec += d * Math.min(nRef, nHyp);
    for (const r of refActive) {
      const row = together[r]!;
      for (const h of hypActive) row[h] = row[h]! + d;
    }
  }
  return sweep;
}
