import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';

const windowState = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowState>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const defaultWindowSize = { width: 1280, height: 820 };

/** The saved window state, or null when there is none or it is unreadable. */
export function loadWindowState(file: string): WindowState | null {
  try {
    return windowState.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await writeFile(file, `${JSON.stringify(state)}\n`);
}

/**
 * Where to open the window: the saved bounds when enough of the window's top strip (where the
 * title bar is) lies on a display that is still there, else the default size centred by the
 * system. Guards against a monitor that was unplugged since the last run.
 */
export function restoredBounds(
  saved: WindowState | null,
  workAreas: readonly Rect[],
): Partial<Rect> & { width: number; height: number } {
  if (!saved) return defaultWindowSize;
  const strip = { x: saved.x, y: saved.y, width: saved.width, height: 40 };
  const visible = workAreas.some((area) => {
    const overlapX =
      Math.min(strip.x + strip.width, area.x + area.width) - Math.max(strip.x, area.x);
    const overlapY =
      Math.min(strip.y + strip.height, area.y + area.height) - Math.max(strip.y, area.y);
    return overlapX >= 100 && overlapY >= 20;
  });
  if (!visible) return { width: saved.width, height: saved.height };
  return { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
}
