import { z } from 'zod';
import { documentSchemaId, transcriptDocument } from '../../contract/document';

/**
 * The transcript document v1 as JSON Schema (draft 2020-12), for people and tools that read the
 * JSON without this code. Generated from the zod schema, so it cannot drift from it; the
 * invariants between fields (times, ids) are beyond JSON Schema and live in `validateDocument`.
 * Unknown properties are rejected, as zod's parse would drop them.
 */
export function documentJsonSchema(): z.core.JSONSchema.BaseSchema {
  const schema = z.toJSONSchema(transcriptDocument, { target: 'draft-2020-12' });
  return {
    ...schema,
    $id: documentSchemaId,
    title: 'Transcript document v1',
    description:
      'Document → segments → lines → words; integer milliseconds from the start of the media. ' +
      'Times are monotonic, words lie inside their lines and lines inside their segments, and no two words overlap.',
  };
}
