/**
 * Engine errors. Every failure the engine reports carries a stable `code` from the registry
 * below, a message that says what happened and what to do, and the original error as `cause`.
 * Transports (HTTP API, CLI) map codes to their own status space in one place each.
 */

export const errorCodes = {
  INVALID_ARGUMENT: 'A request or option is malformed.',
  NOT_FOUND: 'The requested item does not exist.',
  CONFLICT: 'The item was changed elsewhere since it was read.',
  SHUTTING_DOWN: 'The engine is shutting down and accepts no new work.',
  ENGINE_BUSY: 'Another engine (serve, the desktop app, a CLI run) is using the data folder.',
  FFMPEG_NOT_FOUND: 'ffmpeg or ffprobe could not be found.',
  MEDIA_NOT_FOUND: 'The media file does not exist.',
  MEDIA_UNREADABLE: 'The media file cannot be read or is not media ffmpeg understands.',
  MEDIA_EMPTY: 'The media file is empty.',
  MEDIA_NO_AUDIO: 'The media file has no audio stream.',
  MEDIA_TOO_LONG: 'The media is longer than the configured limit.',
  MEDIA_TOO_LARGE: 'The media file is larger than the configured limit.',
  DECODE_FAILED: 'ffmpeg failed while decoding the audio.',
  DISK_FULL: 'There is not enough free disk space.',
  MODEL_UNKNOWN: 'The model is not in the catalog.',
  MODEL_NOT_READY: 'The model is not downloaded or failed verification.',
  MODEL_OFFLINE: 'The model server could not be reached.',
  MODEL_DOWNLOAD_FAILED: 'The model download failed.',
  MODEL_CHECKSUM_MISMATCH: 'The downloaded model does not match its catalog checksum.',
  MODEL_BUSY: 'The model is already being downloaded.',
  CANCELLED: 'The operation was cancelled.',
  QUEUE_FULL: 'Too much work is waiting; try again later.',
  DATABASE_ERROR: 'The library database failed.',
  WORKER_CRASHED: 'A transcription worker process died.',
  TRANSCRIBE_FAILED: 'Whisper failed to transcribe the audio.',
  MODEL_LOAD_FAILED: 'The model file is missing, damaged or not a Whisper model.',
  NATIVE_ADDON_MISSING: 'The native Whisper addon is not built or cannot be loaded.',
  TIMED_OUT: 'The operation took longer than its time limit.',
  INTERRUPTED: 'The engine stopped while the job ran.',
  UNAUTHORIZED: 'The request carries no valid API token.',
  FORBIDDEN_SCOPE: 'The API token lacks the scope this request needs.',
  FORBIDDEN_HOST: 'The request was sent to a host name the engine does not answer to.',
  FORBIDDEN_ORIGIN: 'The request came from a web page of another origin.',
  PATH_NOT_ALLOWED: 'The path is outside the folders the studio may write to.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface EngineErrorOptions {
  cause?: unknown;
  /** Machine-readable details safe to show to a client (paths, limits, ids). */
  details?: Record<string, unknown>;
}

export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: EngineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

export function isEngineError(error: unknown, code?: ErrorCode): error is EngineError {
  return error instanceof EngineError && (code === undefined || error.code === code);
}

/** The reason an AbortSignal carries, as an EngineError with code CANCELLED. */
export function abortReason(signal: AbortSignal, what: string): EngineError {
  const reason: unknown = signal.reason;
  if (isEngineError(reason)) return reason;
  return new EngineError('CANCELLED', `${what} was cancelled.`, { cause: reason });
}

/** Maps Node's errno codes for a full or read-only disk to DISK_FULL with an actionable message. */
export function diskError(error: unknown, target: string): EngineError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new EngineError(
      'DISK_FULL',
      `Not enough disk space to write ${target}. Free some space or choose another data folder, then try again.`,
      { cause: error, details: { path: target } },
    );
  }
  return undefined;
}
