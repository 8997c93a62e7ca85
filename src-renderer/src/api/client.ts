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
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
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
