import { Menu, nativeImage, Tray } from 'electron';
import type { JobRunner } from '../engine/jobs/job-runner';
import { queueSummary } from './queue-summary';

/** A 16×16 round dot (BGRA), so the tray needs no image file. */
function dotIcon(): Electron.NativeImage {
  const size = 16;
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const inside = (x - 7.5) ** 2 + (y - 7.5) ** 2 <= 36;
      pixels.set(inside ? [0xd9, 0x7a, 0x2b, 0xff] : [0, 0, 0, 0], (y * size + x) * 4);
    }
  }
  return nativeImage.createFromBitmap(pixels, { width: size, height: size });
}

/** A tray icon whose tooltip and menu show the job queue, updated as jobs change. */
export function installQueueTray(
  jobs: Pick<JobRunner, 'counts' | 'onEvent'>,
  actions: { show(): void; showQueue(): void; quit(): void },
): () => void {
  const tray = new Tray(dotIcon());
  let timer: NodeJS.Timeout | undefined;
  const refresh = () => {
    timer = undefined;
    const summary = queueSummary(jobs.counts());
    tray.setToolTip(`Transcription Studio — ${summary}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Show Transcription Studio', click: actions.show },
        { label: `Queue: ${summary}`, click: actions.showQueue },
        { type: 'separator' },
        { label: 'Quit', click: actions.quit },
      ]),
    );
  };
  // Progress events arrive several times a second; the tray needs at most one update a second.
  const off = jobs.onEvent(() => {
    timer ??= setTimeout(refresh, 1000);
  });
  tray.on('click', actions.show);
  refresh();
  return () => {
    off();
    if (timer) clearTimeout(timer);
    tray.destroy();
  };
}
