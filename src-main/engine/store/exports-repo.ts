import type { Db } from './database';

/** What identifies a file an export job wrote: where it is and which file it was. */
export interface ExportedFile {
  path: string;
  /** The file's device and inode and its mtime when written; a replaced or edited file differs. */
  dev: number;
  ino: number;
  mtimeMs: number;
}

export interface ExportsRepo {
  /** The files completed export jobs wrote at `path`, newest first. */
  writtenAt(path: string): ExportedFile[];
}

/**
 * The files the studio itself wrote, read from the results of completed export jobs (which is
 * where an export records the file it made), so that no second record can drift from them.
 */
export function createExportsRepo(db: Db): ExportsRepo {
  const writtenStmt = db.prepare<[string], { result: string }>(
    `SELECT result FROM jobs
      WHERE kind = 'export' AND state = 'completed' AND json_extract(result, '$.path') = ?
      ORDER BY finished_at DESC LIMIT 20`,
  );
  const isFile = (value: unknown): value is ExportedFile => {
    if (typeof value !== 'object' || value === null) return false;
    const file = value as Record<string, unknown>;
    return (
      typeof file.path === 'string' &&
      typeof file.dev === 'number' &&
      typeof file.ino === 'number' &&
      typeof file.mtimeMs === 'number'
    );
  };
  return {
    writtenAt(path) {
      return writtenStmt.all(path).flatMap(({ result }) => {
        const parsed = JSON.parse(result) as { file?: unknown } | null;
        return parsed && isFile(parsed.file) ? [parsed.file] : [];
      });
    },
  };
}
