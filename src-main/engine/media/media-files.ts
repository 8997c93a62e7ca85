import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

/** File extensions a folder is searched for. A file named explicitly is always tried. */
export const mediaExtensions: readonly string[] =
  'wav mp3 m4a aac flac ogg oga opus wma aiff aif mp4 m4v mkv mov webm avi mpg mpeg ts mts wmv 3gp amr'.split(
    ' ',
  );
const extensionSet = new Set(mediaExtensions.map((e) => `.${e}`));

/** Whether a file name has one of the media extensions (case-insensitive). */
export const hasMediaExtension = (name: string): boolean =>
  extensionSet.has(extname(name).toLowerCase());

/**
 * Absolute paths of the media to import from files and folders: a folder is searched
 * recursively for files with a media extension (in name order); a file stays as given, so that
 * a file with an unusual extension is probed rather than silently skipped.
 */
export async function findMediaFiles(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && hasMediaExtension(entry.name)) files.push(path);
    }
  };
  for (const input of inputs) {
    const path = resolve(input);
    if (existsSync(path) && statSync(path).isDirectory()) await walk(path);
    else files.push(path);
  }
  return files;
}
