import { z } from 'zod';
import { tokenScope } from './tokens';

/** How the caller of `/v1/session` is signed in, and with what. */
export const sessionInfo = z.object({
  /** `cookie`: a browser session; `bearer`: an API token sent with each request (scripts, the desktop app). */
  via: z.enum(['cookie', 'bearer']),
  scopes: z.array(tokenScope),
  /** ISO time the browser session ends by itself; null for a bearer token. */
  expiresAt: z.string().nullable(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;
