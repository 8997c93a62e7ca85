/**
 * The document worker thread (`document-worker.ts`): prepares saves of edited transcripts and
 * writes their rows off the engine's event loop. One message in (`DocumentWorkerRequest`), one
 * out (`DocumentWorkerReply`).
 */
import { parentPort } from 'node:worker_threads';
import { isEngineError } from '../errors';
import { openDatabase } from '../store/database';
import { createPreparedDocumentWriter } from '../store/transcripts-repo';
import type { Segment } from '../../contract/document';
import type { WhisperSegment } from '../whisper/addon';
import { assembleDocument, type AssembleInput } from './assemble-document';
import {
  piecePerMessage,
  type DocumentWorkerReply,
  type DocumentWorkerRequest,
} from './document-worker';
import { prepareSave } from './prepare-save';

const port = parentPort;
if (!port) throw new Error('document-worker-entry runs as a worker thread only.');

/** This thread's connection to each library it writes to, opened on first use. */
const writers = new Map<string, ReturnType<typeof createPreparedDocumentWriter>>();
const writerFor = (database: string) => {
  let writer = writers.get(database);
  if (!writer) {
    writer = createPreparedDocumentWriter(openDatabase(database));
    writers.set(database, writer);
  }
  return writer;
};

/** The segments of each `assemble` yet to come, as their pieces arrive. */
const pieces = new Map<number, unknown[]>();
/** The pieces of each assembled document's segments not yet taken. */
const results = new Map<number, Segment[][]>();

/** The reply to a request; null for a piece, which has none. */
const answer = async (request: DocumentWorkerRequest): Promise<DocumentWorkerReply | null> => {
  switch (request.kind) {
    case 'prepare':
      return { id: request.id, result: prepareSave(request.text) };
    case 'write':
      return {
        id: request.id,
        written: writerFor(request.database)(
          request.transcriptId,
          request.expectedVersion,
          request.document,
        ),
      };
    case 'assemble': {
      // Its segments came before it, in pieces, from the engine's own `assemble` (so of the
      // kind its `from` says).
      const segments = pieces.get(request.id) ?? [];
      pieces.delete(request.id);
      const { from } = request.input;
      const input: AssembleInput = {
        ...request.input,
        from:
          'doc' in from
            ? { doc: { ...from.doc, segments: segments as Segment[] } }
            : { ...from, segments: segments as WhisperSegment[] },
      };
      const { doc, speakerIds } = await assembleDocument(input);
      // The segments stay here until taken, a piece per `take`.
      const outgoing: Segment[][] = [];
      for (let at = 0; at < doc.segments.length; at += piecePerMessage) {
        outgoing.push(doc.segments.slice(at, at + piecePerMessage));
      }
      if (outgoing.length > 0) results.set(request.id, outgoing);
      return {
        id: request.id,
        assembled: { doc: { ...doc, segments: [] }, speakerIds },
        pieces: outgoing.length,
      };
    }
    case 'take': {
      const outgoing = results.get(request.of) ?? [];
      const piece = outgoing.shift() ?? [];
      if (outgoing.length === 0) results.delete(request.of);
      return { id: request.id, piece };
    }
    case 'piece': {
      const buffer = pieces.get(request.id) ?? [];
      buffer.push(...request.piece);
      pieces.set(request.id, buffer);
      return null;
    }
  }
};

// One request at a time, in order: the next starts when the last has answered.
let queue = Promise.resolve();
port.on('message', (request: DocumentWorkerRequest) => {
  queue = queue.then(async () => {
    let reply: DocumentWorkerReply | null;
    try {
      reply = await answer(request);
    } catch (error) {
      reply = {
        id: request.id,
        error: isEngineError(error)
          ? { code: error.code, message: error.message, details: error.details }
          : { message: error instanceof Error ? error.message : String(error) },
      };
    }
    if (reply) port.postMessage(reply);
  });
});
