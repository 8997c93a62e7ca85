/** "2 running, 3 queued", or "Idle", from the states of the jobs. */
export function queueSummary(states: readonly string[]): string {
  const running = states.filter((s) => s === 'running').length;
  const queued = states.filter((s) => s === 'queued').length;
  if (!running && !queued) return 'Idle';
  return [running && `${running} running`, queued && `${queued} queued`].filter(Boolean).join(', ');
}
