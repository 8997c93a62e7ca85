import type { QueryClient } from '@tanstack/react-query';
import type { LiveClientMessage, LiveServerMessage } from '../../../../src-main/contract/live';
import { wsTicket } from '../../../../src-main/contract/ws-tickets';
import { request, wsUrl } from '../../api/client';
import { queryKeys } from '../../api/query-keys';
import { useToasts } from '../../app/toasts';
import { useUiStore } from '../../app/ui-store';
import { applyCaptionEvent } from './captions';
import { canCapture, openMicrophone, startCapture, type Capture } from './capture';
import type { CaptureFrame } from './capture-frame';
import { silence } from './level';
import { bytesPerMs, liveSocketPath, parseServerMessage } from './live-socket';
import { initialLiveState, useLive, type LiveOptions } from './live-store';
import {
  closedProblem,
  microphoneProblem,
  noMediaDevicesProblem,
  serverProblem,
  type LiveProblem,
} from './problems';

/** One session's resources and what has happened to it. */
interface Run {
  capture: Capture | null;
  socket: WebSocket | null;
  /** Frames captured before the socket opened, sent when it does. */
  pending: ArrayBuffer[];
  opened: boolean;
  /** Stop was asked for: no more audio; the engine finishes and sends `end`. */
  stopping: boolean;
  /** Open the saved session in the editor at the end (the user pressed Stop). */
  openWhenSaved: boolean;
  /** An `error` event already explained what went wrong. */
  explained: boolean;
  done: boolean;
  queryClient: QueryClient;
}

/** Unsent audio beyond this means the connection cannot keep up: shown as lag. */
const clientLagMs = 2000;

let current: Run | null = null;
const set = useLive.setState;

/** Ends `run` for good: microphone off, socket closed (unsaved unless `end` came), state idle. */
function finish(run: Run, problem?: LiveProblem): void {
  if (run.done) return;
  run.done = true;
  run.capture?.stop();
  if (run.socket && run.socket.readyState <= WebSocket.OPEN) run.socket.close(1000);
  if (current === run) current = null;
  set((state) => ({
    phase: 'idle',
    level: silence,
    stoppedAt: state.stoppedAt ?? (state.startedAt === null ? null : Date.now()),
    problem: problem ?? state.problem,
  }));
}

function onFrame(run: Run, frame: CaptureFrame): void {
  if (run.done || run.stopping) return;
  set({ level: { rms: frame.rms, peak: frame.peak } });
  const socket = run.socket;
  if (socket?.readyState !== WebSocket.OPEN) {
    run.pending.push(frame.pcm);
    return;
  }
  socket.send(frame.pcm);
  const unsentMs = socket.bufferedAmount / bytesPerMs;
  if (unsentMs >= clientLagMs) set({ lag: { behindMs: unsentMs, at: Date.now() } });
}

function onEnd(run: Run, end: Extract<LiveServerMessage, { type: 'end' }>): void {
  finish(run);
  const { show } = useToasts.getState();
  if (end.mediaId) void run.queryClient.invalidateQueries({ queryKey: queryKeys.media.all });
  if (end.transcriptId && run.openWhenSaved) {
    useUiStore.getState().navigate({ view: 'editor', transcriptId: end.transcriptId });
    show('success', 'The live session was saved to the library. Its transcript is open here.');
  } else if (end.mediaId) {
    show('success', 'The live session was saved to the library.');
  } else if (run.openWhenSaved) {
    show('info', 'Live captions stopped. Nothing was saved.');
  }
}

function onMessage(run: Run, data: unknown): void {
  if (run.done) return;
  const message = parseServerMessage(data);
  if (!message) return;
  switch (message.type) {
    case 'ready':
      set({
        phase: run.stopping ? 'stopping' : 'running',
        engine: { modelId: message.modelId, language: message.language },
      });
      break;
    case 'partial':
    case 'final':
      set((state) => ({ captions: applyCaptionEvent(state.captions, message) }));
      break;
    case 'lag':
      set({ lag: { behindMs: message.behindMs, at: Date.now() } });
      break;
    case 'error':
      run.explained = true;
      set({ problem: serverProblem(message.code, message.message) });
      break;
    case 'end':
      onEnd(run, message);
      break;
  }
}

function onClose(run: Run, event: CloseEvent): void {
  if (run.done) return;
  const unexplained = !run.explained && event.code !== 1000;
  finish(run, unexplained ? closedProblem(event.code, event.reason, run.opened) : undefined);
}

/** Stops the microphone and asks the engine to finish; without a connection yet, just ends. */
function stop(run: Run, openWhenSaved: boolean): void {
  if (run.done || run.stopping) return;
  run.stopping = true;
  run.openWhenSaved = openWhenSaved;
  run.capture?.stop();
  set({ level: silence, stoppedAt: Date.now() });
  const socket = run.socket;
  if (!socket) {
    // Nothing has reached the engine yet.
    finish(run);
    return;
  }
  set({ phase: 'stopping' });
  // While the socket is still connecting, `onopen` sends the audio so far and then stop.
  if (socket.readyState === WebSocket.OPEN) sendStop(socket);
}

const sendStop = (socket: WebSocket) =>
  socket.send(JSON.stringify({ type: 'stop' } satisfies LiveClientMessage));

/**
 * Starts live captions: the microphone, the capture worklet and `WS /v1/live`. The session
 * belongs to this module, not to a component, so it keeps running while the user visits other
 * sections; `useLive` shows its state.
 */
export async function startLive(options: LiveOptions, queryClient: QueryClient): Promise<void> {
  if (current) return;
  const run: Run = {
    capture: null,
    socket: null,
    pending: [],
    opened: false,
    stopping: false,
    openWhenSaved: false,
    explained: false,
    done: false,
    queryClient,
  };
  current = run;
  set({ ...initialLiveState, phase: 'starting', options });
  if (!canCapture()) return finish(run, noMediaDevicesProblem);

  const context = { electron: window.studio !== undefined, chosenDevice: options.deviceId !== '' };
  let stream: MediaStream;
  try {
    stream = await openMicrophone(options);
  } catch (error) {
    return finish(run, microphoneProblem(error, context));
  }
  if (run.done) {
    stream.getTracks().forEach((track) => track.stop());
    return;
  }
  try {
    run.capture = await startCapture(stream, {
      onFrame: (frame) => onFrame(run, frame),
      onEnded: () => {
        set({
          problem: {
            title: 'The microphone was disconnected',
            message:
              'Captions stopped. Reconnect it or pick another input, then press Start again.',
          },
        });
        stop(run, false);
      },
    });
  } catch (error) {
    return finish(run, microphoneProblem(error, context));
  }
  if (run.done) {
    run.capture.stop();
    return;
  }
  set({ startedAt: Date.now() });

  let ticket: string;
  try {
    ticket = (await request(wsTicket, '/v1/ws-tickets', { method: 'POST' })).ticket;
  } catch (error) {
    return finish(run, {
      title: 'Could not reach the engine',
      message: error instanceof Error ? error.message : String(error),
    });
  }
  if (run.done) return;
  const { model, language, save } = options;
  const socket = new WebSocket(wsUrl(liveSocketPath({ ticket, model, language, save })));
  run.socket = socket;
  socket.onopen = () => {
    run.opened = true;
    for (const pcm of run.pending.splice(0)) socket.send(pcm);
    if (run.stopping) sendStop(socket);
  };
  socket.onmessage = (event: MessageEvent) => onMessage(run, event.data);
  socket.onclose = (event) => onClose(run, event);
}

/** Stop (the user's): the engine finishes, saves, and the editor opens on the transcript. */
export function stopLive(): void {
  if (current) stop(current, true);
}
