// The glossary's schema lives in the API contract; this module checks input against it.
import { glossary, type Glossary } from '../../contract/glossary';
import { parseOrThrow } from '../parse';

/** Checks and completes a glossary; INVALID_ARGUMENT names the first problem's path. */
export function parseGlossary(input: unknown): Glossary {
  return parseOrThrow(glossary, input, 'glossary');
}
