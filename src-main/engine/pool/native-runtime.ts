import {
  detectSpeech,
  freeModel,
  loadModel,
  systemInfo,
  transcribe,
  type WhisperContext,
} from '../whisper/addon';
import type { DetectSpeechOptions, DtwPreset, WhisperDecodeParams } from '../whisper/params';
import type { WhisperRuntime } from './runtime';
import type { WorkerOps } from './worker-main';

const onGpu = new WeakMap<WhisperContext, boolean>();

/** Whether this build and machine expose a GPU device to ggml. */
export const hasGpuDevice = (): boolean =>
  systemInfo().devices.some((device) => device.type === 'gpu' || device.type === 'igpu');

/** The native whisper.cpp addon as a worker runtime. Runs inside a worker process. */
export const nativeRuntime: WhisperRuntime<WhisperContext> = {
  async loadModel({ path, useGpu, gpuDevice, flashAttn, dtw }) {
    const context = await loadModel({
      path,
      useGpu,
      gpuDevice,
      flashAttn,
      dtw: dtw as boolean | DtwPreset | undefined,
    });
    onGpu.set(context, useGpu && hasGpuDevice());
    return context;
  },
  transcribe: (context, pcm, params, callbacks) =>
    transcribe(context, pcm, params as WhisperDecodeParams, callbacks),
  freeModel,
  deviceOf: (context) => (onGpu.get(context) ? 'gpu' : 'cpu'),
};

/**
 * What the engine sends with a `detect-speech` request (whisper-service.ts `detectSpeech`); the
 * samples travel as the request's `pcm`.
 */
export interface DetectSpeechInput {
  /** Checked again by the addon's `detectSpeech` (parseDetectSpeechOptions). */
  options: DetectSpeechOptions;
}

/**
 * The whisper worker's other work, for the engine process, which never loads the addon itself:
 * Silero VAD on a window of samples, and what this build and machine can compute with.
 */
export const nativeOps: WorkerOps = {
  'detect-speech': (input, { signal, pcm }) => {
    // The engine's WhisperService is the only sender; the addon validates pcm and options.
    const { options } = input as DetectSpeechInput;
    return detectSpeech(pcm ?? new Float32Array(0), options, { signal });
  },
  'system-info': () => Promise.resolve(systemInfo()),
};
