/**
 * One worker thread for the CPU work on whole transcript documents that would hold the event
 * loop (a 3-hour document: ~40 ms to parse, ~90 ms to check against the contract, ~30 ms to
 * write as JSON): `prepareSave` of a PATCH body. Requests are answered in order by one thread,
 * started on first use and unref'd (it never keeps the process alive); a thread that dies fails
 * what it had and the next request starts another. Small bodies are cheaper inline: use
 * `prepareSaveOffThread` with a threshold.
 *
 * The entry: `document-worker-entry.ts` beside this module through tsx (serve, the CLI, tests),
 * or the built `document-worker.js` beside the bundle. Where neither exists the work runs inline.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Segment } from '../../contract/document';
import { EngineError, type ErrorCode } from '../errors';
import { openDatabase, type Db } from '../store/database';
import { tsxUrl } from '../tsx-url';
import { createPreparedDocumentWriter } from '../store/transcripts-repo';
import { assembleDocument, type AssembledDocument, type AssembleInput } from './assemble-document';
import { prepareSave, type PreparedDocument, type PreparedSave } from './prepare-save';

export type DocumentWorkerRequest =
  | { kind: 'prepare'; id: number; text: string }
  | ({ kind: 'write'; id: number } & DocumentWrite)
  | { kind: 'assemble'; id: number; input: AssembleInput }
  /** A piece of the next `assemble`'s segments (Whisper's, or the document's), sent before it. */
  | { kind: 'piece'; id: number; piece: unknown[] }
  /** The next piece of the segments of the document `assemble` request `of` made. */
  | { kind: 'take'; id: number; of: number };
export type DocumentWorkerReply =
  | { id: number; result: PreparedSave }
  | { id: number; written: boolean }
  /** The document without its segments: they are taken a piece at a time (`take`). */
  | { id: number; assembled: AssembledDocument; pieces: number }
  | { id: number; piece: Segment[] }
  | { id: number; error: { code?: ErrorCode; message: string; details?: Record<string, unknown> } };

/** What `write` writes: a prepared document's row (`createPreparedDocumentWriter`). */
export interface DocumentWrite {
  /** The library database file (`TranscriptsRepo.databasePath`). */
  database: string;
  transcriptId: string;
  expectedVersion: number;
  document: Pick<PreparedDocument, 'json' | 'counts'>;
}

export interface DocumentWorker {
  /** `prepareSave(text)` in the worker thread. */
  prepareSave(text: string): Promise<PreparedSave>;
  /**
   * Writes a prepared document's row on the thread's own connection to the library; false when
   * the transcript is not at the expected version or not complete (nothing written). Follow it
   * with `TranscriptsRepo.reindexWritten`.
   */
  write(request: DocumentWrite): Promise<boolean>;
  /** `assembleDocument` (a transcription's document, speakers and finish) in the thread. */
  assemble(input: AssembleInput): Promise<AssembledDocument>;
  /** Ends the thread; later requests start a new one. */
  close(): Promise<void>;
}

/** Segments per message when a document goes to the thread and back. */
export const piecePerMessage = 200;

const sourceEntry = new URL('./document-worker-entry.ts', import.meta.url);
/** The built entry (electron.vite.config.ts) beside the bundle, seen from it or from a chunk. */
const builtEntries = [
  new URL('./document-worker.js', import.meta.url),
  new URL('../document-worker.js', import.meta.url),
];

/** Starts the worker thread from the entry that exists, or undefined when none does. */
function startThread(): Worker | undefined {
  const built = builtEntries.find((url) => existsSync(fileURLToPath(url)));
  if (built) return new Worker(built);
  if (!existsSync(fileURLToPath(sourceEntry))) return undefined;
  // A TypeScript entry: register tsx in the thread first (`--import tsx` in a worker's
  // execArgv does not apply to its entry on Node 20), found from here, not from the working
  // directory.
  const boot =
    `import(${JSON.stringify(tsxUrl('tsx/esm/api'))}).then(({ register }) => { register(); ` +
    `return import(${JSON.stringify(sourceEntry.href)}); });`;
  return new Worker(boot, { eval: true });
}

export function createDocumentWorker(): DocumentWorker {
  let thread: Worker | undefined;
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (reply: DocumentWorkerReply) => void; reject: (error: Error) => void }
  >();

  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  const ensureThread = (): Worker | undefined => {
    if (thread) return thread;
    const started = startThread();
    if (!started) return undefined;
    started.unref();
    started.on('message', (reply: DocumentWorkerReply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (!('error' in reply)) waiting.resolve(reply);
      else if (reply.error.code) {
        waiting.reject(
          new EngineError(reply.error.code, reply.error.message, { details: reply.error.details }),
        );
      } else {
        waiting.reject(
          new EngineError('WORKER_CRASHED', `The document worker failed: ${reply.error.message}`),
        );
      }
    });
    const lost = (why: string) => {
      if (thread === started) thread = undefined;
      failAll(
        new EngineError('WORKER_CRASHED', `The document worker stopped (${why}). Try again.`),
      );
    };
    started.on('error', (error) => lost(error.message));
    started.on('exit', (code) => lost(`exit code ${code}`));
    thread = started;
    return started;
  };

  // Without a thread (no entry to start one from), writes go through a connection of this one.
  const inlineDbs = new Map<string, Db>();
  const inlineWrite = ({ database, transcriptId, expectedVersion, document }: DocumentWrite) => {
    let db = inlineDbs.get(database);
    if (!db) {
      db = openDatabase(database);
      inlineDbs.set(database, db);
    }
    return createPreparedDocumentWriter(db)(transcriptId, expectedVersion, document);
  };

  /** Sends a request to the thread; undefined when there is no entry to start one from. */
  const ask = (
    request: DistributiveOmit<DocumentWorkerRequest, 'id'>,
    id = nextId++,
  ): Promise<DocumentWorkerReply> | undefined => {
    const worker = ensureThread();
    if (!worker) return undefined;
    return new Promise<DocumentWorkerReply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      // Holding the process open only while a request waits.
      worker.ref();
      worker.postMessage({ ...request, id } satisfies DocumentWorkerRequest);
    }).finally(() => {
      if (pending.size === 0) thread?.unref();
    });
  };

  return {
    async prepareSave(text) {
      const reply = await (ask({ kind: 'prepare', text }) ?? { id: 0, result: prepareSave(text) });
      if (!('result' in reply))
        throw new EngineError('WORKER_CRASHED', 'The document worker answered out of turn.');
      return reply.result;
    },
    async write(request) {
      const reply = await (ask({ kind: 'write', ...request }) ?? {
        id: 0,
        written: inlineWrite(request),
      });
      if (!('written' in reply))
        throw new EngineError('WORKER_CRASHED', 'The document worker answered out of turn.');
      return reply.written;
    },
    async assemble(input) {
      const worker = ensureThread();
      if (!worker) return assembleDocument(input);
      const outOfTurn = () =>
        new EngineError('WORKER_CRASHED', 'The document worker answered out of turn.');
      // The segments go to the thread, and come back, a piece per message with the event loop
      // free between them: a 3-hour transcript copied in one message held the loop ~100 ms.
      const { from } = input;
      const segments: readonly unknown[] = 'doc' in from ? from.doc.segments : from.segments;
      const id = nextId++;
      for (let at = 0; at < segments.length; at += piecePerMessage) {
        worker.postMessage({
          kind: 'piece',
          id,
          piece: segments.slice(at, at + piecePerMessage),
        } satisfies DocumentWorkerRequest);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const bare: AssembleInput['from'] =
        'doc' in from ? { doc: { ...from.doc, segments: [] } } : { ...from, segments: [] };
      const reply = await ask({ kind: 'assemble', input: { ...input, from: bare } }, id);
      if (!reply || !('assembled' in reply)) throw outOfTurn();
      const pieces: Segment[][] = [];
      for (let i = 0; i < reply.pieces; i += 1) {
        const next = await ask({ kind: 'take', of: reply.id });
        if (!next || !('piece' in next)) throw outOfTurn();
        pieces.push(next.piece);
      }
      const { doc, speakerIds } = reply.assembled;
      return { doc: { ...doc, segments: pieces.flat() }, speakerIds };
    },
    async close() {
      const worker = thread;
      thread = undefined;
      if (worker) await worker.terminate();
      for (const db of inlineDbs.values()) db.close();
      inlineDbs.clear();
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
