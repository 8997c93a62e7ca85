import type { z } from 'zod';
import { errorText } from '../../../src-main/common/remedies';
import { errorResponse } from '../../../src-main/contract/errors';
import { sessionInfo, type SessionInfo } from '../../../src-main/contract/session';

/** An API failure carrying the engine's code and its user-facing message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Base URL of the engine: the page's own origin, or what the Electron preload says in dev. */
export const apiBase = (): string => window.studio?.apiBase ?? '';

/**
 * The `sts_…` token in what a person pasted: the whole link `serve` printed
 * (`http://127.0.0.1:8770/#token=sts_…`), the line it is on, or the token alone. Undefined when
 * there is none.
 */
export function tokenFromText(text: string): string | undefined {
  const inLink = /[#&]token=([^&\s]+)/.exec(text);
  let candidate = inLink?.[1] ?? text.trim();
  try {
    candidate = decodeURIComponent(candidate);
  } catch {
    return undefined;
  }
  return /^sts_[\w-]+$/.test(candidate) ? candidate : undefined;
}

/**
 * Takes the token `serve` put in the link's fragment (`/#token=sts_…`; a fragment never reaches a
 * server or its logs) and removes it from the address bar and history at once. Undefined when
 * the address has none.
 */
export function takeTokenFromUrl(): string | undefined {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return undefined;
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}`);
  return tokenFromText(`#token=${match[1]}`) ?? match[1];
}

/**
 * The bearer token: the desktop app's (from the Electron preload). A browser sends none: it is
 * signed in by its HttpOnly session cookie (see `exchangeToken`).
 */
export const apiToken = (): string | undefined => window.studio?.apiToken ?? undefined;

/** Headers for an API call: Authorization when there is a token. */
export const authHeaders = (): Record<string, string> => {
  const token = apiToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};

const unauthorizedListeners = new Set<(error: ApiError) => void>();

/**
 * Calls `listener` when an API call is refused with 401 (the browser's session ended: signed
 * out elsewhere, revoked, expired, or not valid after a restart). Returns the unsubscribe function.
 */
export function onUnauthorized(listener: (error: ApiError) => void): () => void {
  unauthorizedListeners.add(listener);
  return () => void unauthorizedListeners.delete(listener);
}

/** The ApiError for a failed answer; a 401 is told to `onUnauthorized` listeners first. */
function refused(status: number, body: unknown): ApiError {
  const error = apiErrorFrom(status, body);
  if (status === 401) for (const listener of [...unauthorizedListeners]) listener(error);
  return error;
}

const unreachable = () =>
  new ApiError(0, 'UNREACHABLE', 'The engine is not reachable. Is it still running?');

/**
 * Signs this browser in: trades `token` (the one in the link `serve` printed, or any API token)
 * for the session cookie the engine sets (HttpOnly: this page never sees it), which every tab of
 * this browser then sends. Rejects with the engine's ApiError (401 for a wrong token).
 */
export async function exchangeToken(token: string): Promise<SessionInfo> {
  let response: Response;
  try {
    response = await fetch(`${apiBase()}/v1/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      credentials: 'same-origin',
    });
  } catch {
    throw unreachable();
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw apiErrorFrom(response.status, body);
  return sessionInfo.parse(body);
}

/** How this page is signed in, or null when it is not (401). Rejects when the engine is away. */
export async function currentSession(): Promise<SessionInfo | null> {
  let response: Response;
  try {
    response = await fetch(`${apiBase()}/v1/session`, {
      headers: authHeaders(),
      credentials: 'same-origin',
    });
  } catch {
    throw unreachable();
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status === 401) return null;
  if (!response.ok) throw apiErrorFrom(response.status, body);
  return sessionInfo.parse(body);
}

/** Ends this browser's session (on every tab) and drops its cookie. */
export async function endSession(): Promise<void> {
  try {
    await fetch(`${apiBase()}/v1/session`, { method: 'DELETE', credentials: 'same-origin' });
  } catch {
    throw unreachable();
  }
}

/** Fetches a JSON endpoint and validates the answer against its contract schema. */
export async function request<S extends z.ZodType>(
  schema: S,
  path: string,
  init: RequestInit = {},
): Promise<z.infer<S>> {
  let response: Response;
  try {
    response = await fetch(`${apiBase()}${path}`, {
      ...init,
      headers: {
        ...authHeaders(),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'UNREACHABLE', 'The engine is not reachable. Is it still running?');
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw refused(response.status, body);
  return schema.parse(body);
}

/**
 * Turns an error body (or its absence) into an ApiError with the engine's message and what to do
 * in the app's words (the remedy its code and details name; the body's `remedy` is the API's
 * wording). A server error's request id (`details.requestId`) is named, since it finds the error
 * in the engine log.
 */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  const parsed = errorResponse.safeParse(body);
  if (!parsed.success) return new ApiError(status, 'HTTP_ERROR', `The engine answered ${status}.`);
  const { code, message: said, remedy, details } = parsed.data.error;
  // The message ends with the API's remedy (HTTP words): the app words its own instead.
  const message = remedy && said.endsWith(` ${remedy}`) ? said.slice(0, -remedy.length - 1) : said;
  const text = errorText({ code, message, details }, 'ui');
  const requestId = details?.requestId;
  const withId =
    typeof requestId === 'string' && !message.includes(requestId)
      ? `${text} (Request id ${requestId} in the engine log.)`
      : text;
  return new ApiError(status, code, withId);
}

/** How far an upload is: bytes sent so far, of `totalBytes` (null when the browser cannot tell). */
export interface UploadProgress {
  loadedBytes: number;
  totalBytes: number | null;
  /** 0..100, or null when the total is unknown. */
  percent: number | null;
}

export interface UploadOptions<S extends z.ZodType> {
  /** Validates the answer; without it the parsed JSON is returned as `unknown`. */
  schema?: S;
  /** Called as the body goes out (XMLHttpRequest upload events). */
  onProgress?: (progress: UploadProgress) => void;
  /** Aborts the upload; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
  /** @default 'POST' */
  method?: string;
}

/**
 * Sends a multipart form (e.g. `POST /v1/media` with a `file` part) with upload progress, which
 * `fetch` cannot report. Resolves with the JSON answer; rejects with an ApiError carrying the
 * engine's message, or with an AbortError when `signal` aborts.
 */
export function upload<S extends z.ZodType = z.ZodUnknown>(
  path: string,
  formData: FormData,
  options: UploadOptions<S> = {},
): Promise<z.infer<S>> {
  const { schema, onProgress, signal, method = 'POST' } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open(method, `${apiBase()}${path}`);
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) =>
      onProgress?.({
        loadedBytes: event.loaded,
        totalBytes: event.lengthComputable ? event.total : null,
        percent: event.lengthComputable ? Math.floor((event.loaded / event.total) * 100) : null,
      });
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    xhr.onabort = () => {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    };
    xhr.onerror = () => {
      done();
      reject(new ApiError(0, 'UNREACHABLE', 'The engine is not reachable. Is it still running?'));
    };
    xhr.onload = () => {
      done();
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(refused(xhr.status, body));
        return;
      }
      try {
        resolve(schema ? schema.parse(body) : (body as z.infer<S>));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    xhr.send(formData);
  });
}

/** The file name a Content-Disposition header names, if any. */
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const encoded = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header);
  if (encoded?.[1]) {
    try {
      return decodeURIComponent(encoded[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1] ?? null;
}

/**
 * Downloads an API resource (e.g. `/v1/transcripts/<id>/export?format=srt`) with the bearer
 * token and hands it to the browser's save flow through an `<a download>`. The file name is
 * `fileName`, else the one the engine's Content-Disposition gives, else the path's last part.
 * Resolves with the name used.
 */
export async function download(
  path: string,
  options: { fileName?: string; signal?: AbortSignal } = {},
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${apiBase()}${path}`, {
      headers: authHeaders(),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'UNREACHABLE', 'The engine is not reachable. Is it still running?');
  }
  if (!response.ok) {
    throw refused(response.status, await response.json().catch(() => undefined));
  }
  const blob = await response.blob();
  const name =
    options.fileName ??
    fileNameFromDisposition(response.headers.get('content-disposition')) ??
    decodeURIComponent(path.split('?')[0]?.split('/').pop() ?? 'download');
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Let the browser start reading the blob before it is released.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** The ws:// or wss:// URL of an API path, on the engine's origin (see `apiBase`). */
export function wsUrl(path: string): string {
  const base = new URL(apiBase() || window.location.origin, window.location.href);
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return new URL(path, base).toString();
}
