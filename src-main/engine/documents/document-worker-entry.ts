/**
 * The document worker thread (`document-worker.ts`): prepares saves of edited transcripts off
 * the engine's event loop. One message in (`{ id, text }`), one out (`{ id, result }` or
 * `{ id, error }` for an unexpected failure).
 */
import { parentPort } from 'node:worker_threads';
import type { DocumentWorkerReply, DocumentWorkerRequest } from './document-worker';
import { prepareSave } from './prepare-save';

const port = parentPort;
if (!port) throw new Error('document-worker-entry runs as a worker thread only.');
port.on('message', ({ id, text }: DocumentWorkerRequest) => {
  let reply: DocumentWorkerReply;
  try {
    reply = { id, result: prepareSave(text) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
