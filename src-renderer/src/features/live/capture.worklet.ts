/**
 * The audio-thread half of microphone capture: mixes the input to mono, resamples it from the
 * context's rate to the target rate (a pass-through when the context already runs at it), packs
 * it into frames and posts each frame as PCM16 with its level. Runs on the audio rendering thread
 * (AudioWorkletGlobalScope: no DOM), one render quantum of 128 samples per `process` call.
 */
import {
  captureProcessorName,
  type CaptureFrame,
  type CaptureProcessorOptions,
} from './capture-frame';
import { createFramePacker } from './frame-packer';
import { measureLevel } from './level';
import { downmix, toPcm16 } from './pcm';
import { createResampler } from './resampler';

// The AudioWorkletGlobalScope's own names, which TypeScript's DOM library does not describe.
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(
  name: string,
  processor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessor,
): void;

class CaptureProcessor extends AudioWorkletProcessor {
  readonly #resampler;
  readonly #packer;

  constructor(options: AudioWorkletNodeOptions) {
    super();
    const { targetRate, frameSamples } = options.processorOptions as CaptureProcessorOptions;
    this.#resampler = createResampler(sampleRate, targetRate);
    this.#packer = createFramePacker(frameSamples);
  }

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (channels && channels.length > 0) {
      for (const frame of this.#packer.push(this.#resampler.process(downmix(channels)))) {
        const { rms, peak } = measureLevel(frame);
        const pcm = toPcm16(frame).buffer;
        this.port.postMessage({ pcm, rms, peak } satisfies CaptureFrame, [pcm]);
      }
    }
    // Keep running while the node exists; the main thread disconnects it to stop.
    return true;
  }
}

registerProcessor(captureProcessorName, CaptureProcessor);
