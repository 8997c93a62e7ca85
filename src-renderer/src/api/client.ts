import type { z } from 'zod';
import { errorResponse } from '../../../src-main/contract/errors';

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

const tokenKey = 'studio.apiToken';

/**
 * Takes the API token that `serve` hands a browser in the URL fragment (`/#token=sts_…`; a
 * fragment never reaches a server or its logs), keeps it in sessionStorage (this tab only, gone
 * when the tab closes) and removes it from the address bar and history. Call once at startup.
 */
export function adoptTokenFromUrl(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return;
  window.sessionStorage.setItem(tokenKey, decodeURIComponent(match[1]));
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}`);
}

/** The bearer token: from the Electron preload, else the one `serve` handed this tab. */
export const apiToken = (): string | undefined =>
  window.studio?.apiToken ?? window.sessionStorage.getItem(tokenKey) ?? undefined;

/** Headers for an API call: Authorization when there is a token. */
export const authHeaders = (): Record<string, string> => {
  const token = apiToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};

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
  if (!response.ok) {
    const parsed = errorResponse.safeParse(body);
    if (parsed.success) {
      throw new ApiError(response.status, parsed.data.error.code, parsed.data.error.message);
    }
    throw new ApiError(response.status, 'HTTP_ERROR', `The engine answered ${response.status}.`);
  }
  return schema.parse(body);
}
