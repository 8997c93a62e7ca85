/**
 * Voice-activity scoring over time: how many seconds of predicted speech are reference speech.
 *
 *   precision = |predicted ∩ reference| / |predicted|
 *   recall    = |predicted ∩ reference| / |reference|
 *   F1        = 2 · precision · recall / (precision + recall)
 *
 * measured in seconds inside the scored zone: the `scored` regions (a UEM) or, without them, the
 * whole timeline, minus a no-score collar of `collar` seconds on EACH side of every reference
 * speech boundary (the md-eval convention, `-c 0.25` = ±0.25 s; pyannote.metrics' `collar` is
 * the total width, i.e. twice this value). Both region lists may overlap themselves and be in
 * any order: each is reduced to its union first.
 *
 * Edge cases: with no predicted speech, precision is 1 (nothing was claimed wrongly); with no
 * reference speech, recall is 1 (nothing was missed); F1 is 0 when precision and recall are both 0.
 */

/** A time span in seconds. */
export interface TimeRegion {
  start: number;
  end: number;
}

export interface SpeechRegionScoreOptions {
  /**
   * Seconds excluded on each side of every reference boundary.
   * @default 0
   */
  collar?: number;
  /** Only these regions are scored (a UEM). @default everything */
  scored?: readonly TimeRegion[];
}

export interface SpeechRegionScore {
  precision: number;
  recall: number;
  f1: number;
  /** Seconds of predicted speech that are reference speech. */
  truePositiveSec: number;
  /** Seconds of predicted speech that are not reference speech (false alarms). */
  falsePositiveSec: number;
  /** Seconds of reference speech not predicted (misses). */
  falseNegativeSec: number;
  /** Seconds of reference speech scored. */
  referenceSec: number;
  /** Seconds of predicted speech scored. */
  predictedSec: number;
}

/** Scores `predicted` speech regions against `reference` ones, as described above. */
export function speechRegionScore(
  predicted: readonly TimeRegion[],
  reference: readonly TimeRegion[],
  options: SpeechRegionScoreOptions = {},
): SpeechRegionScore {
  const { collar = 0, scored } = options;
  if (!(Number.isFinite(collar) && collar >= 0)) {
    throw new RangeError(`collar must be a finite number ≥ 0, not ${collar}`);
  }
  const ref = unionRegions(reference);
  let zone: TimeRegion[] = scored
    ? unionRegions(scored)
    : [{ start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY }];
  if (collar > 0) {
    const noScore = unionRegions(
      ref.flatMap((r) => [
        { start: r.start - collar, end: r.start + collar },
        { start: r.end - collar, end: r.end + collar },
      ]),
    );
    zone = subtractRegions(zone, noScore);
  }
  const refIn = intersectRegions(ref, zone);
  const predIn = intersectRegions(unionRegions(predicted), zone);
  const referenceSec = totalDuration(refIn);
  const predictedSec = totalDuration(predIn);
  const truePositiveSec = totalDuration(intersectRegions(refIn, predIn));
  const precision = predictedSec === 0 ? 1 : truePositiveSec / predictedSec;
  const recall = referenceSec === 0 ? 1 : truePositiveSec / referenceSec;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    precision,
    recall,
    f1,
    truePositiveSec,
    falsePositiveSec: predictedSec - truePositiveSec,
    falseNegativeSec: referenceSec - truePositiveSec,
    referenceSec,
    predictedSec,
  };
}

/**
 * Sums the seconds of several scores (one per file) and recomputes precision, recall and F1 from
 * the sums, so long files weigh more than short ones.
 */
export function combineSpeechScores(scores: readonly SpeechRegionScore[]): SpeechRegionScore {
  let tp = 0;
  let ref = 0;
  let pred = 0;
  for (const s of scores) {
    tp += s.truePositiveSec;
    ref += s.referenceSec;
    pred += s.predictedSec;
  }
  const precision = pred === 0 ? 1 : tp / pred;
  const recall = ref === 0 ? 1 : tp / ref;
  return {
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    truePositiveSec: tp,
    falsePositiveSec: pred - tp,
    falseNegativeSec: ref - tp,
    referenceSec: ref,
    predictedSec: pred,
  };
}

/** The union of `regions`, sorted, with overlapping or touching regions joined; empty ones dropped. */
export function unionRegions(regions: readonly TimeRegion[]): TimeRegion[] {
  const sorted = regions
    .filter((r) => r.end > r.start)
    .map((r) => ({ start: r.start, end: r.end }))
    .sort((a, b) => a.start - b.start);
  const out: TimeRegion[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push(r);
  }
  return out;
}

/** Intersection of two unions (sorted, non-overlapping lists). */
export function intersectRegions(a: readonly TimeRegion[], b: readonly TimeRegion[]): TimeRegion[] {
  const out: TimeRegion[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as TimeRegion;
    const y = b[j] as TimeRegion;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (end > start) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/** `a` minus `b`, both unions (sorted, non-overlapping lists). */
export function subtractRegions(a: readonly TimeRegion[], b: readonly TimeRegion[]): TimeRegion[] {
  const out: TimeRegion[] = [];
  let j = 0;
  for (const r of a) {
    let start = r.start;
    while (j < b.length && (b[j] as TimeRegion).end <= start) j++;
    for (let k = j; k < b.length && (b[k] as TimeRegion).start < r.end; k++) {
      const cut = b[k] as TimeRegion;
      if (cut.start > start) out.push({ start, end: cut.start });
      start = Math.max(start, cut.end);
    }
    if (r.end > start) out.push({ start, end: r.end });
  }
  return out;
}

/** Total seconds of a union. */
export function totalDuration(regions: readonly TimeRegion[]): number {
  return regions.reduce((sum, r) => sum + (r.end - r.start), 0);
}
