import { z } from 'zod';

/** `GET /health`: unauthenticated liveness, deliberately without details. */
export const healthResponse = z.object({
  status: z.enum(['ok', 'shutting-down']),
});
export type HealthResponse = z.infer<typeof healthResponse>;
