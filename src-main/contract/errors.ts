import { z } from 'zod';

/** Every non-2xx API answer has this body. `code` comes from the engine's error registry. */
export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponse>;
