import { afterEach, describe, expect, it } from 'vitest';
import type { EventsServerMessage } from '../../../contract/events';
import type { JobView } from '../../../contract/jobs';
import { createEventRelay, type EventRelay, type RelaySocket } from './event-relay';

/** A socket whose send buffer the test fills and drains by hand. */
function fakeSocket() {
  const sent: EventsServerMessage[] = [];
  const socket = {
    bufferedAmount: 0,
    closed: null as { code: number; reason: string } | null,
    send(data: string) {
      sent.push(JSON.parse(data));
    },
    close(code: number, reason: string) {
      socket.closed = { code, reason };
    },
  } satisfies RelaySocket & Record<string, unknown>;
  return { socket, sent };
}

const job = (id: string, percent: number): EventsServerMessage => ({
  type: 'job',
  job: { id, percent } as JobView,
});
const output = (jobId: string, n: number): EventsServerMessage => ({
  type: 'job-output',
  jobId,
  output: { type: 'segment', transcriptId: 't', segment: { t0: n, t1: n + 1, text: `s${n}` } },
});
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let relay: EventRelay | undefined;
afterEach(() => relay?.dispose());

describe('the event relay', () => {
  it('sends at once while the socket keeps up', () => {
    const { socket, sent } = fakeSocket();
    relay = createEventRelay(socket);
    relay.push(job('a', 10));
    relay.push(output('a', 1));
    expect(sent).toEqual([job('a', 10), output('a', 1)]);
  });

  it('holds back a slow client, keeps only the latest state of each job, and writes the backlog in order once drained', async () => {
    const { socket, sent } = fakeSocket();
    relay = createEventRelay(socket, { highWaterBytes: 1000, drainCheckMs: 5 });
    socket.bufferedAmount = 5000;
    for (let percent = 1; percent <= 100; percent++) relay.push(job('a', percent));
    relay.push(output('a', 1));
    relay.push(job('b', 50));
    relay.push(output('a', 2));
    relay.push(job('a', 100));
    expect(sent).toEqual([]);
    expect(relay.held).toBe(4);
    socket.bufferedAmount = 0;
    await wait(30);
    expect(sent).toEqual([output('a', 1), job('b', 50), output('a', 2), job('a', 100)]);
    expect(relay.held).toBe(0);
    // Back to direct sends.
    relay.push(job('c', 1));
    expect(sent.at(-1)).toEqual(job('c', 1));
  });

  it('closes a client that never drains once streamed output piles up, instead of growing', () => {
    const { socket, sent } = fakeSocket();
    relay = createEventRelay(socket, { highWaterBytes: 1000, maxHeld: 50 });
    socket.bufferedAmount = 5000;
    for (let n = 0; n < 200; n++) relay.push(output('a', n));
    expect(socket.closed).toMatchObject({ code: 1008, reason: /too slow/i });
    expect(Buffer.byteLength(socket.closed!.reason)).toBeLessThanOrEqual(123);
    expect(relay.held).toBe(0);
    expect(sent).toEqual([]);
  });

  it('writes the messages of one turn under one cork, in order', async () => {
    const { socket, sent } = fakeSocket();
    const calls: string[] = [];
    relay = createEventRelay({
      ...socket,
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
      send: (data) => {
        calls.push('send');
        socket.send(data);
      },
      cork: () => calls.push('cork'),
      uncork: () => calls.push('uncork'),
    });
    for (let n = 0; n < 5; n++) relay.push(job(`j${n}`, n));
    expect(calls).toEqual(['cork', 'send', 'send', 'send', 'send', 'send']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.at(-1)).toBe('uncork');
    relay.push(output('a', 1));
    expect(calls.slice(-2)).toEqual(['cork', 'send']);
    expect(sent.map((m) => (m.type === 'job' ? m.job.id : m.type))).toEqual([
      'j0',
      'j1',
      'j2',
      'j3',
      'j4',
      'job-output',
    ]);
  });
});
