/** "2 running, 3 queued", or "Idle", from how many jobs are running and queued. */
export function queueSummary(counts: { running: number; queued: number }): string {
  const { running, queued } = counts;
  if (!running && !queued) return 'Idle';
  return [running && `${running} running`, queued && `${queued} queued`].filter(Boolean).join(', ');
}

/** Whether work is waiting or running: the app then stays in the tray when its window closes. */
export const queueBusy = (counts: { running: number; queued: number }): boolean =>
  counts.running + counts.queued > 0;
