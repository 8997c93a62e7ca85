import type { z } from 'zod';
import { EngineError } from './errors';

/** `['segments', 3, 'lines', 0]` → `segments[3].lines[0]`; the empty path is `(document)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(document)' : out;
}

/**
 * Parses `value` with a schema, or throws INVALID_ARGUMENT naming the first thing that is wrong:
 * "Invalid glossary at rules[1].match: …". The one place a zod issue becomes an engine error;
 * `details` carry the path (`field`) and every issue.
 *
 * @param what what the value is, as a person would name it ("transcription parameter")
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = formatPath(issue.path);
  throw new EngineError('INVALID_ARGUMENT', `Invalid ${what} at ${field}: ${issue.message}`, {
    cause: parsed.error,
    details: { field, issues: parsed.error.issues },
  });
}
