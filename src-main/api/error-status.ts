import { remedyFor } from '../common/remedies';
import type { ErrorResponse } from '../contract/errors';
import type { ErrorCode } from '../engine/errors';

/** The one place engine error codes become HTTP statuses. */
export const httpStatusByCode: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SHUTTING_DOWN: 503,
  ENGINE_BUSY: 409,
  FFMPEG_NOT_FOUND: 503,
  MEDIA_NOT_FOUND: 404,
  MEDIA_UNREADABLE: 422,
  MEDIA_EMPTY: 422,
  MEDIA_NO_AUDIO: 422,
  MEDIA_TOO_LONG: 413,
  MEDIA_TOO_LARGE: 413,
  DECODE_FAILED: 422,
  DISK_FULL: 507,
  MODEL_UNKNOWN: 404,
  MODEL_NOT_READY: 409,
  MODEL_OFFLINE: 502,
  MODEL_DOWNLOAD_FAILED: 502,
  MODEL_CHECKSUM_MISMATCH: 502,
  MODEL_BUSY: 409,
  CANCELLED: 409,
  QUEUE_FULL: 429,
  DATABASE_ERROR: 500,
  WORKER_CRASHED: 500,
  TRANSCRIBE_FAILED: 500,
  MODEL_LOAD_FAILED: 409,
  NATIVE_ADDON_MISSING: 503,
  TIMED_OUT: 504,
  INTERRUPTED: 500,
  UNAUTHORIZED: 401,
  FORBIDDEN_SCOPE: 403,
  FORBIDDEN_HOST: 403,
  FORBIDDEN_ORIGIN: 403,
  PATH_NOT_ALLOWED: 403,
};

/**
 * The body of an error answer: `message` is what happened followed by what to do in HTTP words,
 * so a client that shows nothing else (curl, OpenAI's SDK) still says it; `remedy` is that last
 * part alone, for a client that words the remedy its own way from `code` and `details` (the app).
 */
export function errorBody(
  error: { code: string; message: string; details?: Record<string, unknown> | undefined },
  remedy: string | undefined = remedyFor(error, 'api'),
): ErrorResponse {
  const { code, message, details } = error;
  return {
    error: {
      code,
      message: remedy ? `${message} ${remedy}` : message,
      ...(remedy && { remedy }),
      ...(details && { details }),
    },
  };
}
