/**
 * The CPU work of saving an edited transcript that came in as JSON text (the body of
 * `PATCH /v1/transcripts/:id`): parse it, check it against the contract and the document
 * invariants, and make what the store writes (the canonical document JSON, its search rows and
 * counts). Pure and synchronous, so it runs the same inline (small bodies) or in the document
 * worker thread (`document-worker.ts`) for large ones, where a 3-hour document takes ~150 ms.
 */
import { patchTranscriptBody } from '../../contract/transcripts';
import { documentCounts, searchableSegments, type SearchableSegment } from '../store/search-index';
import { isEngineError } from '../errors';
import { checkInvariants } from './validate';

/** A document ready to store: everything the main thread needs without parsing it again. */
export interface PreparedDocument {
  /** `JSON.stringify` of the document as the contract parsed it: what the store keeps. */
  json: string;
  rows: SearchableSegment[];
  counts: { words: number; speakers: number };
}

export type PreparedSave =
  | { ok: true; version: number; document: PreparedDocument }
  /** The body is empty or not JSON. */
  | { ok: false; problem: 'empty' | 'json' }
  /** The contract's first issue, as the API's validation errors name it. */
  | { ok: false; problem: 'schema'; path: string; message: string }
  /** An invariant the schema cannot state (`checkInvariants`). */
  | {
      ok: false;
      problem: 'document';
      message: string;
      details: Record<string, unknown> | undefined;
    };

export function prepareSave(text: string): PreparedSave {
  if (text.length === 0) return { ok: false, problem: 'empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'json' };
  }
  const parsed = patchTranscriptBody.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      ok: false,
      problem: 'schema',
      path: `/${issue.path.map(String).join('/')}`,
      message: issue.message,
    };
  }
  const { version, document } = parsed.data;
  try {
    checkInvariants(document);
  } catch (error) {
    if (isEngineError(error) && error.code === 'INVALID_ARGUMENT') {
      return { ok: false, problem: 'document', message: error.message, details: error.details };
    }
    throw error;
  }
  return {
    ok: true,
    version,
    document: {
      json: JSON.stringify(document),
      rows: searchableSegments(document),
      counts: documentCounts(document),
    },
  };
}
