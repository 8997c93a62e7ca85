import {
  freeModel,
  loadModel,
  systemInfo,
  transcribe,
  type WhisperContext,
} from '../whisper/addon';
import type { DtwPreset, WhisperDecodeParams } from '../whisper/params';
import type { WhisperRuntime } from './runtime';

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
