/**
 * The document worker thread (`document-worker.ts`): prepares saves of edited transcripts and
 * writes their rows off the engine's event loop. One message in (`DocumentWorkerRequest`), one
 * out (`DocumentWorkerReply`).
 */
import { parentPort } from 'node:worker_threads';
import { isEngineError } from '../errors';
import { openDatabase } from '../store/database';
import { createPreparedDocumentWriter } from '../store/transcripts-repo';
import type { DocumentWorkerReply, DocumentWorkerRequest } from './document-worker';
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

port.on('message', (request: DocumentWorkerRequest) => {
  let reply: DocumentWorkerReply;
  try {
    reply =
      request.kind === 'prepare'
        ? { id: request.id, result: prepareSave(request.text) }
        : {
            id: request.id,
            written: writerFor(request.database)(
              request.transcriptId,
              request.expectedVersion,
              request.document,
            ),
          };
  } catch (error) {
    reply = {
      id: request.id,
      error: isEngineError(error)
        ? { code: error.code, message: error.message, details: error.details }
        : { message: error instanceof Error ? error.message : String(error) },
    };
  }
  port.postMessage(reply);
});
