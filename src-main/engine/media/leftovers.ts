/**
 * Files a crash left behind: partial uploads and unsaved live recordings in `uploads/` (no
 * library item names them) and anything in `tmp/`. A normal run removes its own; after a crash
 * they would stay forever. Only files untouched for `olderThanMs` (a day) go, so another engine
 * on the same data folder never loses a file it is still writing.
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface SweepOptions {
  uploadsDir: string;
  tempDir: string;
  /** Whether a library item names this file (absolute path). */
  isReferenced(path: string): boolean;
  /** @default 86400000 (a day) */
  olderThanMs?: number;
  /** @default Date.now */
  now?: () => number;
}

const day = 24 * 3600 * 1000;

/** Removes the leftovers and returns their paths; folders that do not exist are fine. */
export async function sweepLeftovers(options: SweepOptions): Promise<string[]> {
  const { uploadsDir, tempDir, isReferenced, olderThanMs = day, now = Date.now } = options;
  const removed: string[] = [];
  const sweep = async (dir: string, keep: (path: string) => boolean) => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return; // no such folder yet
    }
    for (const name of names) {
      const path = join(dir, name);
      try {
        // lstat: a link is judged (and removed) as itself, never followed.
        const stats = await lstat(path);
        if (keep(path) || now() - stats.mtimeMs < olderThanMs) continue;
        await rm(path, { recursive: true, force: true });
        removed.push(path);
      } catch {
        // Gone meanwhile, or not ours to remove: leave it.
      }
    }
  };
  await sweep(uploadsDir, isReferenced);
  await sweep(tempDir, () => false);
  return removed;
}
