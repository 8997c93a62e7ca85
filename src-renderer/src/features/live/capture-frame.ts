/** What the capture worklet posts for every frame of audio. */
export interface CaptureFrame {
  /** PCM16 little-endian, 16 kHz mono (transferred, not copied). */
  pcm: ArrayBuffer;
  /** RMS and peak of the frame, 0..1. */
  rms: number;
  peak: number;
}

/** Options the worklet is created with (`processorOptions`). */
export interface CaptureProcessorOptions {
  /** The rate to send at. */
  targetRate: number;
  /** Samples (at `targetRate`) per posted frame. */
  frameSamples: number;
}

/** The name the worklet registers its processor under. */
export const captureProcessorName = 'studio-capture';
