import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  eventsClientMessage,
  eventsQuery,
  type EventsServerMessage,
} from '../../../contract/events';
import type { JobEvent } from '../../../engine/jobs/job-runner';
import { createEventRelay } from './event-relay';
import { frameBytes, parseControl, webSocketOnly, webSocketRefusals } from './ws-helpers';

const description = `WebSocket. Connect with \`Authorization: Bearer <token>\` (scope read) or, from a browser, \`?ticket=\` from POST /v1/ws-tickets.
The server sends JSON text frames (schema: contract/events.ts): first \`{"type":"hello","protocol":1,"jobId":…}\`, then \`{"type":"job","job":<job>}\` on every job change and \`{"type":"job-output","jobId":…,"output":{"type":"segment","transcriptId":…,"segment":{"t0","t1","text"}}}\` for each segment a transcription finishes. \`?jobId=\` limits the stream to one job.
The client may send \`{"type":"ping"}\` (answered with \`{"type":"pong"}\`); any other frame gets \`{"type":"error","code":"INVALID_ARGUMENT",…}\` and the socket stays open.
A client that reads too slowly gets only the latest state of each job; if streamed output still piles up, the socket is closed with 1008 (reconnect and GET /v1/jobs to catch up).
When the token the socket was opened with is revoked, it is closed with 4401 "The API token was revoked.".
A plain GET without the WebSocket upgrade answers 426.`;

type JobOutputEvent = Extract<JobEvent, { type: 'job-output' }>;
const hasObjectOutput = (
  event: JobOutputEvent,
): event is JobOutputEvent & { output: Record<string, unknown> } =>
  typeof event.output === 'object' && event.output !== null && !Array.isArray(event.output);

/**
 * The engine's event as the contract's message: the same object (the relay serializes each once
 * for every socket), or null for output the contract cannot carry (a job's output is an object).
 */
export function eventMessage(event: JobEvent): EventsServerMessage | null {
  if (event.type === 'job') return event;
  return hasObjectOutput(event) ? event : null;
}

/** `WS /v1/events`: job progress and streamed segments as they happen. */
export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;

  app.route({
    method: 'GET',
    url: '/events',
    config: { scope: 'read' },
    schema: {
      summary: 'Job events (WebSocket)',
      description,
      querystring: eventsQuery,
      response: webSocketRefusals,
    },
    handler: webSocketOnly('/v1/events'),
    wsHandler: (socket, request) => {
      const jobId = request.query.jobId ?? null;
      // The TCP socket under the WebSocket (the upgrade request's), so a burst is written at once.
      const tcp = request.raw.socket;
      const relay = createEventRelay({
        get bufferedAmount() {
          return socket.bufferedAmount;
        },
        send: (data) => socket.send(data),
        close: (code, reason) => socket.close(code, reason),
        cork: () => tcp.cork(),
        uncork: () => tcp.uncork(),
      });
      const wanted = (event: JobEvent) =>
        jobId === null || (event.type === 'job' ? event.job.id === jobId : event.jobId === jobId);
      const unsubscribe = engine.jobs.onEvent((event) => {
        const message = wanted(event) ? eventMessage(event) : null;
        if (message) relay.push(message);
      });
      socket.once('close', () => {
        unsubscribe();
        relay.dispose();
      });
      relay.push({ type: 'hello', protocol: 1, jobId });

      socket.on('message', (data, isBinary) => {
        const control = isBinary
          ? ({ ok: false, reason: 'Binary frames are not accepted here.' } as const)
          : parseControl(eventsClientMessage, frameBytes(data).toString('utf8'));
        if (!control.ok) {
          relay.push({
            type: 'error',
            code: 'INVALID_ARGUMENT',
            message: `${control.reason} Send {"type":"ping"} or nothing.`,
          });
          return;
        }
        relay.push({ type: 'pong' });
      });
    },
  });
};
