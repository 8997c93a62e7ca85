/** One stage of a job and its share of the total work. */
export interface StageWeight {
  stage: string;
  weight: number;
}

/**
 * Overall progress (0..1) from the stage a job is in and how far through that stage it is: the
 * weights of the stages before it, plus its own weight times its fraction. Unknown stages count
 * as the start of the plan.
 */
export function overallProgress(
  plan: readonly StageWeight[],
  stage: string,
  fraction: number,
): number {
  const total = plan.reduce((sum, s) => sum + s.weight, 0);
  if (total <= 0) return 0;
  const index = plan.findIndex((s) => s.stage === stage);
  if (index === -1) return 0;
  const before = plan.slice(0, index).reduce((sum, s) => sum + s.weight, 0);
  const within = plan[index]!.weight * Math.min(1, Math.max(0, fraction));
  return (before + within) / total;
}

/**
 * Seconds left, extrapolated from the time spent so far. Null until there is enough progress to
 * say anything useful (early figures swing wildly).
 */
export function estimateEtaSec(elapsedMs: number, progress: number): number | null {
  if (progress < 0.02 || elapsedMs < 1000) return null;
  if (progress >= 1) return 0;
  return Math.round(((elapsedMs / progress) * (1 - progress)) / 1000);
}
