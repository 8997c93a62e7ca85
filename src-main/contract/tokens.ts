import { z } from 'zod';

/** What a token may do; `admin` implies every other scope. */
export const tokenScope = z.enum(['read', 'transcribe', 'live', 'admin']);
export type TokenScopeName = z.infer<typeof tokenScope>;

/** A stored API token as listed: everything but the secret. */
export const tokenInfo = z.object({
  id: z.string(),
  name: z.string().nullable(),
  scopes: z.array(tokenScope),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type TokenInfoView = z.infer<typeof tokenInfo>;

export const tokenList = z.object({ tokens: z.array(tokenInfo) });
export type TokenList = z.infer<typeof tokenList>;

/** `POST /v1/tokens`. */
export const createTokenBody = z.object({
  name: z.string().trim().max(100).optional(),
  scopes: z.array(tokenScope).min(1),
});
export type CreateTokenBody = z.infer<typeof createTokenBody>;

/** The new token: `token` is shown this once and cannot be read again. */
export const createdToken = z.object({ id: z.string(), token: z.string() });
export type CreatedToken = z.infer<typeof createdToken>;
