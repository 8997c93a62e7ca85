import type { EventsServerMessage } from '../../../contract/events';

/** The part of a `ws` WebSocket the relay uses. */
export interface RelaySocket {
  /** Bytes queued in user space, not yet handed to the OS. */
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code: number, reason: string): void;
  /**
   * Hold writes in user space until `uncork` (the TCP socket under the WebSocket): the frames
   * of one turn of the event loop then leave in one system call instead of one each.
   */
  cork?(): void;
  uncork?(): void;
}

export interface RelayLimits {
  /**
   * Above this many queued bytes the relay stops writing and holds messages back.
   * @default 1 MiB
   */
  highWaterBytes?: number;
  /**
   * Messages held back at most; one more closes the socket (1008). Job updates of the same job
   * replace each other, so only streamed output fills this.
   * @default 2000
   */
  maxHeld?: number;
  /**
   * How often a held-back relay checks whether the socket has drained.
   * @default 50
   */
  drainCheckMs?: number;
}

export interface EventRelay {
  push(message: EventsServerMessage): void;
  /** Stops the drain timer and drops what is held. */
  dispose(): void;
  /** Messages held back now. */
  readonly held: number;
}

const serialized = new WeakMap<EventsServerMessage, string>();

/**
 * The JSON text of a message, made once however many sockets it goes to: the engine hands every
 * subscriber the same event object, and with many clients the encoding would otherwise dominate.
 */
function serialize(message: EventsServerMessage): string {
  let text = serialized.get(message);
  if (text === undefined) {
    text = JSON.stringify(message);
    serialized.set(message, text);
  }
  return text;
}

/**
 * Writes events to one WebSocket without ever queueing without bound. While the socket keeps
 * up, each message is sent at once. When the client reads too slowly (more than
 * `highWaterBytes` queued), messages are held back: a job's newer state replaces its older one
 * (only the latest state matters), streamed output queues in order. The backlog is written once
 * the socket drains; if it grows past `maxHeld`, the client is closed with 1008 and told to
 * reconnect and catch up from GET /v1/jobs.
 */
export function createEventRelay(socket: RelaySocket, limits: RelayLimits = {}): EventRelay {
  const { highWaterBytes = 1024 * 1024, maxHeld = 2000, drainCheckMs = 50 } = limits;
  const held = new Map<string, EventsServerMessage>();
  let seq = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let corked = false;

  // Many events in one turn (a burst of queue positions) would each cost a system call.
  const send = (message: EventsServerMessage) => {
    if (!corked && socket.cork && socket.uncork) {
      corked = true;
      socket.cork();
      setImmediate(() => {
        corked = false;
        socket.uncork?.();
      });
    }
    socket.send(serialize(message));
  };

  const drain = () => {
    for (const [key, message] of held) {
      if (socket.bufferedAmount >= highWaterBytes) return;
      held.delete(key);
      send(message);
    }
    clearInterval(timer);
    timer = undefined;
  };
  const dispose = () => {
    clearInterval(timer);
    timer = undefined;
    held.clear();
  };

  return {
    push(message) {
      if (closed) return;
      if (!timer && socket.bufferedAmount < highWaterBytes) {
        send(message);
        return;
      }
      const key = message.type === 'job' ? `job:${message.job.id}` : `#${seq++}`;
      // Re-inserting moves a job's state behind the output that came before it.
      held.delete(key);
      held.set(key, message);
      if (held.size > maxHeld) {
        closed = true;
        dispose();
        socket.close(
          1008,
          'Client too slow: events piled up. Reconnect and GET /v1/jobs to catch up.',
        );
        return;
      }
      timer ??= setInterval(drain, drainCheckMs);
    },
    dispose,
    get held() {
      return held.size;
    },
  };
}
