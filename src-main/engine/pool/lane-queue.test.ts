import { describe, expect, it } from 'vitest';
import { LaneQueue, type Lane } from './lane-queue';

const item = (lane: Lane, name: string) => ({ lane, name });

describe('LaneQueue', () => {
  it('orders live > interactive > batch, FIFO within a lane, with 1-based positions', () => {
    const queue = new LaneQueue<ReturnType<typeof item>>();
    const b1 = item('batch', 'b1');
    const i1 = item('interactive', 'i1');
    const b2 = item('batch', 'b2');
    const l1 = item('live', 'l1');
    for (const x of [b1, i1, b2, l1]) queue.push(x);
    expect(queue.all().map((x) => x.name)).toEqual(['l1', 'i1', 'b1', 'b2']);
    expect([l1, i1, b1, b2].map((x) => queue.position(x))).toEqual([1, 2, 3, 4]);
    expect(queue.depths()).toEqual({ live: 1, interactive: 1, batch: 2 });
  });

  it('peeks by predicate, removes, and puts a retried item back at the head of its lane', () => {
    const queue = new LaneQueue<ReturnType<typeof item>>();
    const a = item('batch', 'a');
    const b = item('batch', 'b');
    queue.push(a);
    queue.push(b);
    expect(queue.peek((x) => x.name === 'b')).toBe(b);
    expect(queue.remove(a)).toBe(true);
    expect(queue.remove(a)).toBe(false);
    expect(queue.position(a)).toBeUndefined();
    queue.unshift(a);
    expect(queue.all().map((x) => x.name)).toEqual(['a', 'b']);
    expect(queue.size).toBe(2);
  });
});
