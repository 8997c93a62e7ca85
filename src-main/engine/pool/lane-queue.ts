export const lanes = ['live', 'interactive', 'batch'] as const;
export type Lane = (typeof lanes)[number];

/** Waiting items by lane: live before interactive before batch, first in first out within a lane. */
export class LaneQueue<T extends { lane: Lane }> {
  readonly #byLane: Record<Lane, T[]> = { live: [], interactive: [], batch: [] };

  push(item: T): void {
    this.#byLane[item.lane].push(item);
  }

  /** Puts an item back at the head of its lane (a retry keeps its turn). */
  unshift(item: T): void {
    this.#byLane[item.lane].unshift(item);
  }

  /** The next item by priority, without removing it. */
  peek(predicate: (item: T) => boolean = () => true): T | undefined {
    for (const lane of lanes) {
      const found = this.#byLane[lane].find(predicate);
      if (found) return found;
    }
    return undefined;
  }

  remove(item: T): boolean {
    const list = this.#byLane[item.lane];
    const index = list.indexOf(item);
    if (index === -1) return false;
    list.splice(index, 1);
    return true;
  }

  /** 1-based place in the order jobs will start; undefined when not queued. */
  position(item: T): number | undefined {
    let before = 0;
    for (const lane of lanes) {
      const index = this.#byLane[lane].indexOf(item);
      if (index !== -1) return before + index + 1;
      before += this.#byLane[lane].length;
    }
    return undefined;
  }

  depths(): Record<Lane, number> {
    return {
      live: this.#byLane.live.length,
      interactive: this.#byLane.interactive.length,
      batch: this.#byLane.batch.length,
    };
  }

  /** Every item in start order. */
  all(): T[] {
    return lanes.flatMap((lane) => this.#byLane[lane]);
  }

  get size(): number {
    return lanes.reduce((sum, lane) => sum + this.#byLane[lane].length, 0);
  }
}
