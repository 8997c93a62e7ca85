/**
 * Folders the engine must never write to, and a way to tell that it did not: every entry's kind,
 * size, content hash and link target, compared before and after. Also the traps the path cases
 * point at: symlinks out of the data folder, FIFOs, a working directory deep enough that relative
 * traversal lands inside the sentinel tree instead of the real file system.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  copyFileSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';

/** One line per entry under `root` (recursively, links not followed), sorted. */
export function snapshotTree(root: string): string[] {
  const lines: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const info = lstatSync(path);
      const at = relative(root, path);
      if (info.isSymbolicLink()) lines.push(`link ${at} -> ${readlinkSync(path)}`);
      else if (info.isDirectory()) {
        lines.push(`dir ${at}`);
        walk(path);
      } else if (info.isFIFO()) lines.push(`fifo ${at}`);
      else if (info.isFile()) {
        const hash = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
        lines.push(`file ${at} ${info.size} ${hash}`);
      } else lines.push(`other ${at}`);
    }
  };
  walk(root);
  return lines.sort();
}

export interface Traps {
  /** The sentinel folder: outside the data folder, must stay byte for byte as created. */
  outside: string;
  /** A file in it whose content says it was not touched. */
  victim: string;
  /** A media file outside the data folder (adding by path may read it; nothing may write it). */
  outsideMedia: string;
  /** FIFOs: one outside, one inside the data folder. Opening one blocks until the other end opens. */
  fifos: string[];
  /** A deep folder to run from, so that `../..` lands in `cwdRoot`, which is part of the sentinel. */
  cwd: string;
  cwdRoot: string;
  /** Links inside the data folder that point out of it. */
  links: { toVictim: string; toOutsideDir: string; inExports: string };
  /** Everything that must not change. */
  snapshot(): string[];
  /** Opens every FIFO for reading without blocking, so a writer stuck in `open` finishes. */
  releaseFifos(): void;
  /** Lays the sentinel folders and links again as new, after a case changed them (and failed). */
  restore(): void;
}

export const victimText = 'sentinel: the engine must never write here\n';

/** Lays the traps in `work` (beside `dataDir`, which must be `work/data`). */
export function layTraps(work: string, dataDir: string, mediaFile: string): Traps {
  const outside = join(work, 'outside');
  const victim = join(outside, 'victim.txt');
  const outsideMedia = join(outside, 'outside.wav');
  const cwdRoot = join(work, 'cwd');
  const cwd = join(cwdRoot, 'a', 'b', 'c', 'd');
  const fifos = [join(outside, 'fifo'), join(dataDir, 'fifo')];

  /** The sentinel folders, as new. */
  const layOutside = () => {
    mkdirSync(outside);
    writeFileSync(victim, victimText);
    copyFileSync(mediaFile, outsideMedia);
    mkdirSync(cwd, { recursive: true });
    // `C:/../../x` resolved against `cwd` on POSIX: a real media file, so accepting that
    // Windows form on Linux shows up as an item added from a relative path.
    copyFileSync(mediaFile, join(cwdRoot, 'a', 'b', 'c', 'x'));
    // `\\server\share\x` is a plain (odd) file name on POSIX.
    copyFileSync(mediaFile, join(cwd, '\\\\server\\share\\x'));
    execFileSync('mkfifo', [fifos[0]!]);
  };
  layOutside();
  execFileSync('mkfifo', [fifos[1]!]);

  const links = {
    toVictim: join(dataDir, 'escape-link'),
    toOutsideDir: join(dataDir, 'escape-dir'),
    // Where an exports folder in the data folder would be: a link there must not be followed.
    inExports: join(dataDir, 'exports', 'escape-link.txt'),
  };
  mkdirSync(join(dataDir, 'exports'), { recursive: true });
  const layLinks = () => {
    for (const [link, target] of [
      [links.toVictim, victim],
      [links.toOutsideDir, outside],
      [links.inExports, victim],
    ] as const) {
      rmSync(link, { force: true });
      symlinkSync(target, link);
    }
  };
  layLinks();

  const releaseFifos = () => {
    for (const fifo of fifos) {
      try {
        closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
      } catch {
        // Gone already (replaced by a case, or removed with its folder).
      }
    }
  };

  return {
    outside,
    victim,
    outsideMedia,
    fifos,
    cwd,
    cwdRoot,
    links,
    snapshot: () => [
      ...snapshotTree(outside).map((line) => `outside/${line}`),
      ...snapshotTree(cwdRoot).map((line) => `cwd/${line}`),
    ],
    releaseFifos,
    restore() {
      releaseFifos();
      rmSync(outside, { recursive: true, force: true });
      rmSync(cwdRoot, { recursive: true, force: true });
      layOutside();
      layLinks();
    },
  };
}
