import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import {
  liveClientMessage,
  liveMaxFrameMs,
  liveQuery,
  liveSampleRate,
  type LiveServerMessage,
} from '../../../contract/live';
import { isEngineError, type EngineError, type ErrorCode } from '../../../engine/errors';
import type { LiveOutcome, LiveSession } from '../../../engine/live/live-session';
import { parsePcmFrame } from '../../../engine/live/pcm-buffer';
import {
  closeReason,
  frameBytes,
  parseControl,
  webSocketOnly,
  webSocketRefusals,
} from '../events/ws-helpers';

const maxFrameSamples = (liveSampleRate * liveMaxFrameMs) / 1000;

const description = `WebSocket for live captions. Connect with \`Authorization: Bearer <token>\` (scope live) or, from a browser, \`?ticket=\` from POST /v1/ws-tickets; \`?language=\` (default auto), \`?model=\` (default: the defaultModel setting, else the first ready Whisper model) and \`?save=false\` (captions only; by default the audio is recorded and, after stop or an idle timeout, added to the library as a WAV with its transcript).
The server sends \`{"type":"ready","sessionId","sampleRate":16000,"format":"pcm_s16le","channels":1,"modelId","language"}\`. Then send binary frames of raw PCM (signed 16-bit little-endian, 16 kHz, mono, at most 1 s each) and finally the text frame \`{"type":"stop"}\`.
The server sends JSON text frames (schema: contract/live.ts): \`partial\` {text,startMs,endMs} (the tentative tail, replaced by the next partial), \`final\` {text,startMs,endMs,words:[{text,startMs,endMs,p}]} (committed, never revised), \`lag\` {behindMs} (decoding is behind; audio is kept), \`error\` {code,message}, and after stop \`end\` {durationMs, mediaId?, transcriptId?} (the ids when the session was saved), then closes with 1000. Times are ms from the first sample.
Close codes: 1007 malformed audio frame (odd byte count, more than 1 s); 1008 unknown or unready model, bad language; 1011 no Whisper model installed, decoding failed, or the recording could not be written (DISK_FULL) or saved; 1013 too many live sessions (QUEUE_FULL) or decoding fell more than 60 s behind; 1001 engine shutting down; 4401 the token the socket was opened with was revoked (the session ends as if the client hung up). A text frame that is not a valid control message only gets an error event. After 30 s without audio the session ends as if stopped.
A plain GET without the WebSocket upgrade answers 426.`;

/** Close code for a session that could not start or failed. */
function closeCodeFor(code: ErrorCode, modelRequested: boolean): number {
  switch (code) {
    case 'QUEUE_FULL':
      return 1013;
    case 'SHUTTING_DOWN':
      return 1001;
    case 'INVALID_ARGUMENT':
    case 'MODEL_UNKNOWN':
      return 1008;
    case 'MODEL_NOT_READY':
      // The client asked for a model that is not there, or the engine has none at all.
      return modelRequested ? 1008 : 1011;
    default:
      return 1011;
  }
}

/** Unread events a client may leave queued before it is cut off. */
const maxUnreadBytes = 1024 * 1024;

const send = (socket: WebSocket, message: LiveServerMessage) => {
  if (socket.readyState !== socket.OPEN) return;
  // A client that stopped reading would make the queue grow for as long as the session runs.
  if (socket.bufferedAmount > maxUnreadBytes) {
    socket.terminate();
    return;
  }
  socket.send(JSON.stringify(message));
};

/** `WS /v1/live`: PCM in, caption events out. */
export const liveRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;

  app.route({
    method: 'GET',
    url: '/live',
    config: { scope: 'live' },
    schema: {
      summary: 'Live captions (WebSocket)',
      description,
      querystring: liveQuery,
      response: webSocketRefusals,
    },
    handler: webSocketOnly('/v1/live'),
    wsHandler: (socket, request) => {
      const { language, model, save } = request.query;
      const modelRequested = model !== undefined;
      const fail = (error: EngineError) => {
        send(socket, { type: 'error', code: error.code, message: error.message });
        socket.close(closeCodeFor(error.code, modelRequested), closeReason(error.message));
      };
      const onDone = (outcome: LiveOutcome) => {
        if (outcome.ok) {
          socket.close(
            1000,
            outcome.reason === 'idle' ? 'Ended after no audio arrived for a while.' : 'Stopped.',
          );
        } else {
          // The session has sent its error event already.
          socket.close(
            closeCodeFor(outcome.error.code, modelRequested),
            closeReason(outcome.error.message),
          );
        }
      };

      let session: LiveSession;
      try {
        session = engine.live.open({
          ...(language ? { language } : {}),
          ...(model ? { modelId: model } : {}),
          save: save !== 'false',
          onEvent: (event) => send(socket, event),
          onDone,
        });
      } catch (error) {
        if (!isEngineError(error)) throw error;
        fail(error);
        return;
      }
      socket.once('close', () => session.close());
      send(socket, {
        type: 'ready',
        sessionId: session.id,
        sampleRate: liveSampleRate,
        format: 'pcm_s16le',
        channels: 1,
        modelId: session.modelId,
        language: session.language,
      });

      socket.on('message', (data, isBinary) => {
        if (session.state === 'closed') return;
        if (isBinary) {
          let pcm: Float32Array;
          try {
            pcm = parsePcmFrame(frameBytes(data), maxFrameSamples);
          } catch (error) {
            if (!isEngineError(error)) throw error;
            // Garbage audio means the client speaks another format: end rather than guess.
            session.close();
            send(socket, { type: 'error', code: error.code, message: error.message });
            socket.close(1007, closeReason(error.message));
            return;
          }
          try {
            session.push(pcm);
          } catch (error) {
            if (!isEngineError(error)) throw error;
            send(socket, { type: 'error', code: error.code, message: error.message });
          }
          return;
        }
        const control = parseControl(liveClientMessage, frameBytes(data).toString('utf8'));
        if (!control.ok) {
          send(socket, {
            type: 'error',
            code: 'INVALID_ARGUMENT',
            message: `${control.reason} The only control message is {"type":"stop"}; audio goes in binary frames.`,
          });
          return;
        }
        void session.stop();
      });
    },
  });
};
