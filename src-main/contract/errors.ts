import { z } from 'zod';

/**
 * Every non-2xx API answer has this body. `code` comes from the engine's error registry;
 * `message` says what happened and, when there is something to do, what in HTTP terms;
 * `remedy` is that last part alone (the app and the CLI word it their own way from `code` and
 * `details`, see src-main/common/remedies.ts).
 */
export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    remedy: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponse>;
