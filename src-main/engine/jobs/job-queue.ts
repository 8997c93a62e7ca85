import type { JobLane } from '../store/jobs-repo';

const laneOrder: readonly JobLane[] = ['live', 'interactive', 'batch'];

/**
 * The waiting jobs' ids in start order: live before interactive before batch, first in first
 * out within a lane. Unlike the pool's LaneQueue (a few requests at a time), this holds up to
 * `maxQueuedJobs` (100,000) ids, so push, remove, peek and membership are O(1) (insertion-ordered
 * sets) and every position comes from one pass, never a search per job.
 */
export class JobQueue {
  readonly #lanes: Record<JobLane, Set<string>> = {
    live: new Set(),
    interactive: new Set(),
    batch: new Set(),
  };
  readonly #laneOf = new Map<string, JobLane>();

  /** Adds `id` at the end of its lane; true when no waiting job is behind it in start order. */
  push(id: string, lane: JobLane): boolean {
    this.#lanes[lane].add(id);
    this.#laneOf.set(id, lane);
    return laneOrder.slice(laneOrder.indexOf(lane) + 1).every((l) => this.#lanes[l].size === 0);
  }

  remove(id: string): boolean {
    const lane = this.#laneOf.get(id);
    if (!lane) return false;
    this.#laneOf.delete(id);
    return this.#lanes[lane].delete(id);
  }

  has(id: string): boolean {
    return this.#laneOf.has(id);
  }

  /** The next id to start, without removing it. */
  peek(): string | undefined {
    for (const lane of laneOrder) {
      for (const id of this.#lanes[lane]) return id;
    }
    return undefined;
  }

  /** Every waiting id in start order. */
  *ids(): IterableIterator<string> {
    for (const lane of laneOrder) yield* this.#lanes[lane];
  }

  /** Each waiting id's 1-based place in start order. */
  positions(): Map<string, number> {
    const positions = new Map<string, number>();
    for (const id of this.ids()) positions.set(id, positions.size + 1);
    return positions;
  }

  get size(): number {
    return this.#laneOf.size;
  }
}
