/** Collects a stream of samples into frames of exactly `frameSamples`. */
export interface FramePacker {
  /** Adds samples (copied); returns the frames they completed, oldest first. */
  push(samples: Float32Array): Float32Array[];
}

export function createFramePacker(frameSamples: number): FramePacker {
  if (!Number.isInteger(frameSamples) || frameSamples <= 0) {
    throw new RangeError(`frameSamples must be a positive integer, not ${frameSamples}.`);
  }
  let frame = new Float32Array(frameSamples);
  let filled = 0;
  return {
    push(samples) {
      const done: Float32Array[] = [];
      for (let at = 0; at < samples.length;) {
        const n = Math.min(frameSamples - filled, samples.length - at);
        frame.set(samples.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === frameSamples) {
          done.push(frame);
          frame = new Float32Array(frameSamples);
          filled = 0;
        }
      }
      return done;
    },
  };
}
