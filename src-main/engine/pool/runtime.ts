/**
 * What a worker needs from a Whisper implementation. The real one is the native addon; the pool's
 * process tests use a scripted one. Contexts are opaque to the pool. The diarization worker runs
 * sherpa-onnx behind the same interface (diarization/neural/sherpa-runtime.ts).
 */
export interface WhisperRuntime<Context = unknown> {
  loadModel(spec: {
    path: string;
    companionPath?: string;
    useGpu: boolean;
    gpuDevice: number;
    flashAttn?: boolean;
    dtw?: boolean | string;
  }): Promise<Context>;
  transcribe(
    context: Context,
    pcm: Float32Array,
    params: Record<string, unknown>,
    callbacks: {
      onProgress?: (progress: number) => void;
      onSegment?: (segment: unknown) => void;
      signal?: AbortSignal;
    },
  ): Promise<unknown>;
  freeModel(context: Context): void;
  /** Which device a loaded context computes on. */
  deviceOf(context: Context): 'gpu' | 'cpu';
}
