/**
 * Where an export job may write. Jobs come from API clients, so the file they name is checked
 * like any untrusted path: only inside the data folder's `exports/` or a folder the user allowed
 * in Settings (`exportFolders`), never through a symbolic link, and never over a file the studio
 * did not write unless the request says `overwrite` (which the API grants to admin tokens only).
 * The same check runs when the job is submitted (a clear 4xx) and again when it runs (the disk
 * may have changed in between).
 */
import type { Stats } from 'node:fs';
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EngineError, isEngineError } from '../errors';
import { checkLocalPath } from '../local-path';
import type { ExportFormat } from './index';

export interface ExportTargetPolicy {
  /** The data folder's exports folder: always allowed, created when first needed. */
  exportsDir: string;
  /** Further folders the user allowed (Settings › exportFolders), read at each check. */
  allowedFolders: () => readonly string[];
  /** True when the file at `path` (as `lstat` saw it) is one an export job wrote. */
  isStudioFile: (path: string, stats: Stats) => boolean;
}

export interface ExportTargetRequest {
  /** Absolute path of the file to write; left out, a file in `exportsDir` named after the media. */
  path?: string | undefined;
  /** The name (without extension) of the default file: `exportStem` of the media's name. */
  defaultName: string;
  format: ExportFormat;
  /** Replace a file the studio did not write. The API allows it to admin tokens only. */
  overwrite: boolean;
}

export interface ExportTarget {
  /** The file to write, with its folder's real path (no links left in it). */
  file: string;
  /** What writing it does to what is there now. */
  replaces: 'nothing' | 'studio-file' | 'user-file';
}

const within = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel.split(sep)[0] !== '..');
};

const notAllowed = (path: string, roots: readonly string[]) =>
  new EngineError(
    'PATH_NOT_ALLOWED',
    `Exports may not be written to ${path}. Leave "path" out to write into ${roots[0]}, name a file in ` +
      `${roots.length > 1 ? `one of ${roots.join(', ')}` : 'that folder'}, add the folder under Settings › Export folders ` +
      '(exportFolders), or download the export instead (GET /v1/transcripts/:id/export).',
    { details: { path, allowed: roots } },
  );

const invalid = (message: string, path: string) =>
  new EngineError('INVALID_ARGUMENT', message, { details: { path } });

/** The name exports of a media item's transcripts get: the media's name without its extension. */
export function exportStem(mediaName: string | undefined): string {
  return mediaName?.replace(/\.[^.]+$/, '') || 'transcript';
}

/** A file name made from a media name: no folders, no control characters, no leading dots. */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(/[\p{Cc}/\\:*?"<>|]/gu, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'export';
}

const lstatOrUndefined = (path: string) => lstat(path).catch(() => undefined);

/** The deepest folder of `path` that exists (path itself included), by walking up. */
async function deepestExisting(path: string): Promise<string> {
  let at = path;
  while (!(await lstatOrUndefined(at))) {
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  return at;
}

/** The allowed folders that exist, by their real paths; `exportsDir` first (and created). */
async function realRoots(policy: ExportTargetPolicy): Promise<string[]> {
  await mkdir(policy.exportsDir, { recursive: true });
  const roots = [await realpath(policy.exportsDir)];
  for (const folder of policy.allowedFolders()) {
    if (!isAbsolute(folder)) continue;
    const real = await realpath(folder).catch(() => undefined);
    if (real && !roots.includes(real)) roots.push(real);
  }
  return roots;
}

/** Checks where an export may go and what it would replace; throws an EngineError saying why not. */
export async function resolveExportTarget(
  request: ExportTargetRequest,
  policy: ExportTargetPolicy,
): Promise<ExportTarget> {
  const roots = await realRoots(policy);
  if (request.path === undefined) return defaultTarget(request, policy, roots[0]!);

  // Absolute by this machine's rules, no "..", no NUL (the rule every client path follows).
  const given = request.path;
  try {
    checkLocalPath(given, { field: 'export path' });
  } catch (error) {
    if (!isEngineError(error)) throw error;
    throw new EngineError(
      error.code,
      `${error.message} Or leave "path" out to write into ${roots[0]}.`,
      { cause: error, ...(error.details ? { details: error.details } : {}) },
    );
  }
  const name = basename(given);
  if (!name || /[\\/]$/.test(given)) {
    throw invalid(`The export path must name a file, not a folder (got "${given}").`, given);
  }

  // Links are resolved in the folder part, and the result must still be inside an allowed
  // folder; missing folders are created only below an allowed folder's real path.
  const folder = resolve(dirname(given));
  const existing = await realpath(await deepestExisting(folder));
  if (!roots.some((root) => within(root, existing))) throw notAllowed(given, roots);
  await mkdir(folder, { recursive: true });
  const realFolder = await realpath(folder);
  if (!roots.some((root) => within(root, realFolder))) throw notAllowed(given, roots);

  const file = join(realFolder, name);
  const stats = await lstatOrUndefined(file);
  if (!stats) return { file, replaces: 'nothing' };
  if (stats.isSymbolicLink()) {
    throw new EngineError(
      'PATH_NOT_ALLOWED',
      `${given} is a symbolic link; exports never write through one. Choose another file name.`,
      { details: { path: given } },
    );
  }
  if (!stats.isFile()) {
    throw invalid(
      `Cannot export to ${given}: it exists and is not a regular file. Choose a file name.`,
      given,
    );
  }
  if (policy.isStudioFile(file, stats)) return { file, replaces: 'studio-file' };
  if (request.overwrite) return { file, replaces: 'user-file' };
  throw new EngineError(
    'CONFLICT',
    `${given} already exists and was not written by the studio. Choose another file name, or send ` +
      '"overwrite": true with an admin token to replace it.',
    { details: { path: given } },
  );
}

/** `<exportsDir>/<name>.<format>`, or `<name> (2).<format>`… when a file not ours is there. */
async function defaultTarget(
  request: ExportTargetRequest,
  policy: ExportTargetPolicy,
  root: string,
): Promise<ExportTarget> {
  const stem = safeFileName(request.defaultName);
  for (let n = 1; n < 1000; n += 1) {
    const file = join(root, `${stem}${n > 1 ? ` (${n})` : ''}.${request.format}`);
    const stats = await lstatOrUndefined(file);
    if (!stats) return { file, replaces: 'nothing' };
    if (stats.isFile() && policy.isStudioFile(file, stats))
      return { file, replaces: 'studio-file' };
  }
  throw new EngineError(
    'CONFLICT',
    `${root} holds too many files named "${stem}"; name the export file with "path".`,
    { details: { path: root } },
  );
}
