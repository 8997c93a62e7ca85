import type { z } from 'zod';
import { EngineError } from './errors';

/**
 * Parses `value` with a contract schema, or throws INVALID_ARGUMENT naming the first field that
 * is wrong: "Invalid transcription parameter speakers.count: Too small…". The one place a zod
 * issue becomes an engine error.
 *
 * @param what the kind of value, as a person would name it ("transcription parameter")
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  throw new EngineError(
    'INVALID_ARGUMENT',
    `Invalid ${what}${field ? ` ${field}` : ''}: ${issue.message}.`,
    { cause: parsed.error, details: { field: field || null } },
  );
}
