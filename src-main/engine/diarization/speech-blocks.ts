/**
 * Cuts the speech regions of a stream of audio into short blocks and keeps, per block, only the
 * sum of its frames' MFCCs: the fallback diarizer's whole memory of the audio. Samples are
 * analysed as they arrive and dropped, so a block costs ~300 bytes whatever the file's length
 * (≈2 MB per hour of speech with the default 0.5 s blocks).
 *
 * Blocks never span two regions. Block k of a region covers [start + k·L, start + (k+1)·L) for
 * the block length L; the region's last block runs to the region's end, and a remainder shorter
 * than half a block joins the block before it. A region too short for one MFCC frame (25 ms)
 * gets no block.
 */
import { DECODE_SAMPLE_RATE } from '../media/decode';
import type { TimeRegion } from '../quality/speech-score';
import { MfccStream } from './mfcc';

/** A piece of speech and the summed MFCCs (c1 … c19, c0 left out) of its frames. */
export interface SpeechBlock {
  start: number;
  end: number;
  /** Index of the speech region the block belongs to. */
  region: number;
  frames: number;
  sum: Float64Array;
}

export interface SpeechBlocksOptions {
  /**
   * MFCC frames (10 ms each) per block.
   * @default 50 (0.5 s)
   */
  blockFrames?: number;
}

export class SpeechBlockCollector {
  readonly #regions: readonly TimeRegion[];
  /** [first sample, end sample) of each region. */
  readonly #bounds: [number, number][];
  readonly #blockFrames: number;
  readonly #blockSec: number;
  readonly #mfcc = new MfccStream();
  readonly #blocks: SpeechBlock[] = [];
  /** Absolute index of the next sample pushed. */
  #position = 0;
  #region = 0;
  /** Frames of the current region so far, and how many of them are in the block being filled. */
  #regionFrames = 0;
  #current: SpeechBlock | undefined;
  readonly #onFrame = (mfcc: Float64Array): void => this.#addFrame(mfcc);

  /** `regions`: sorted, non-overlapping speech regions in seconds (e.g. a `unionRegions` result). */
  constructor(regions: readonly TimeRegion[], options: SpeechBlocksOptions = {}) {
    const { blockFrames = 50 } = options;
    if (!(Number.isInteger(blockFrames) && blockFrames >= 1)) {
      throw new RangeError(`blockFrames must be a positive integer, not ${blockFrames}`);
    }
    this.#regions = regions;
    this.#bounds = regions.map((r) => [
      Math.round(r.start * DECODE_SAMPLE_RATE),
      Math.round(r.end * DECODE_SAMPLE_RATE),
    ]);
    this.#blockFrames = blockFrames;
    this.#blockSec = (blockFrames * this.#mfcc.hopSamples) / DECODE_SAMPLE_RATE;
  }

  /** True once every region has been analysed: the rest of the audio is not needed. */
  get done(): boolean {
    return this.#region >= this.#regions.length;
  }

  /** How far the analysis has come, from 0 to 1 (the end of the last region is 1). */
  get progress(): number {
    const end = this.#bounds.at(-1)?.[1] ?? 0;
    return this.done || end === 0 ? 1 : Math.min(1, this.#position / end);
  }

  /** Feeds the next samples of the audio (16 kHz mono), continuing where the last call ended. */
  push(samples: Float32Array): void {
    const base = this.#position;
    let at = 0;
    while (at < samples.length && !this.done) {
      const [first, end] = this.#bounds[this.#region]!;
      const position = base + at;
      if (position < first) {
        at += Math.min(first - position, samples.length - at);
        continue;
      }
      const n = Math.min(end - position, samples.length - at);
      if (n > 0) this.#mfcc.push(samples.subarray(at, at + n), this.#onFrame);
      at += Math.max(n, 0);
      if (base + at >= end) this.#endRegion();
    }
    this.#position = base + samples.length;
  }

  /** Ends the audio (a region it stopped in ends there too) and returns the blocks in time order. */
  finish(): SpeechBlock[] {
    if (!this.done) {
      this.#endRegion(this.#position / DECODE_SAMPLE_RATE);
      this.#region = this.#regions.length;
    }
    return this.#blocks;
  }

  #addFrame(mfcc: Float64Array): void {
    if (!this.#current) {
      const start = this.#regions[this.#region]!.start + this.#blockCount() * this.#blockSec;
      this.#current = {
        start,
        end: start + this.#blockSec,
        region: this.#region,
        frames: 0,
        sum: new Float64Array(mfcc.length - 1),
      };
    }
    const block = this.#current;
    for (let c = 1; c < mfcc.length; c++) block.sum[c - 1] = block.sum[c - 1]! + mfcc[c]!;
    block.frames++;
    this.#regionFrames++;
    if (block.frames === this.#blockFrames) {
      this.#blocks.push(block);
      this.#current = undefined;
    }
  }

  /** Whole blocks of the current region so far. */
  #blockCount(): number {
    return Math.floor(this.#regionFrames / this.#blockFrames);
  }

  #endRegion(endSec = this.#regions[this.#region]!.end): void {
    const end = Math.min(endSec, this.#regions[this.#region]!.end);
    const last = this.#blocks.at(-1);
    const lastInRegion = last?.region === this.#region ? last : undefined;
    const rest = this.#current;
    if (rest && (rest.frames * 2 >= this.#blockFrames || !lastInRegion)) {
      rest.end = end;
      this.#blocks.push(rest);
    } else if (lastInRegion) {
      if (rest) {
        for (let c = 0; c < rest.sum.length; c++) {
          lastInRegion.sum[c] = lastInRegion.sum[c]! + rest.sum[c]!;
        }
        lastInRegion.frames += rest.frames;
      }
      lastInRegion.end = end;
    }
    this.#current = undefined;
    this.#regionFrames = 0;
    this.#mfcc.reset();
    this.#region++;
  }
}
