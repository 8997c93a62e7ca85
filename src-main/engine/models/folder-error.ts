import { EngineError, diskError } from '../errors';

/** A failure to read or write under the models folder: DISK_FULL when it is full, else a hint. */
export function modelsFolderError(error: unknown, path: string): EngineError {
  return (
    diskError(error, path) ??
    new EngineError(
      'MODEL_DOWNLOAD_FAILED',
      `Cannot write ${path}: ${(error as Error).message}. Check that the models folder is writable.`,
      { cause: error, details: { path } },
    )
  );
}
