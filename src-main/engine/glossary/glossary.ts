// The glossary's schema lives in the API contract; this module checks input against it.
import { glossary, type Glossary } from '../../contract/glossary';
import { EngineError } from '../errors';
import { formatPath } from '../documents/validate';

/** Checks and completes a glossary; INVALID_ARGUMENT names the first problem's path. */
export function parseGlossary(input: unknown): Glossary {
  const parsed = glossary.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new EngineError(
    'INVALID_ARGUMENT',
    `Invalid glossary at ${formatPath(issue.path)}: ${issue.message}`,
    { cause: parsed.error, details: { path: formatPath(issue.path) } },
  );
}
