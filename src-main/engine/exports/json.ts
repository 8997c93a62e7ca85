/**
 * JSON: the document as schema v1 with its `$schema` id first, pretty-printed, ending in a
 * newline. Key order is stable whatever order the input object has: objects follow the order of
 * the contract's schema, and free-form maps (`targetCounts`, `source.params`) are sorted by key,
 * recursively. The document is validated against the schema on the way; unknown keys are dropped.
 */
import {
  documentSchemaId,
  transcriptDocument,
  type TranscriptDocument,
} from '../../contract/document';
import { EngineError } from '../errors';

export interface JsonOptions {
  /** Spaces per indentation level. @default 2 */
  indent?: number;
}

/** `value` with the keys of every plain object sorted, recursively. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortedKeys(inner)]));
}

export function exportJson(doc: TranscriptDocument, options: JsonOptions = {}): string {
  const parsed = transcriptDocument.safeParse(doc);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || 'document'}: ${issue.message}`);
    throw new EngineError(
      'INVALID_ARGUMENT',
      `The document does not match the transcript schema: ${problems.join('; ')}`,
      { cause: parsed.error },
    );
  }
  const rest = { ...parsed.data };
  delete rest.$schema;
  const ordered = {
    $schema: documentSchemaId,
    ...rest,
    targetCounts: sortedKeys(rest.targetCounts),
    source: { ...rest.source, params: sortedKeys(rest.source.params) },
  };
  return JSON.stringify(ordered, null, options.indent ?? 2) + '\n';
}
