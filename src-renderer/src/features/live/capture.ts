import { liveSampleRate } from '../../../../src-main/contract/live';
import {
  captureProcessorName,
  type CaptureFrame,
  type CaptureProcessorOptions,
} from './capture-frame';
import { frameSamples } from './live-socket';
// Bundled as its own script (a same-origin file, as the CSP's script-src 'self' requires).
import workletUrl from './capture.worklet.ts?worker&url';

export interface MicrophoneOptions {
  /** An input from `enumerateDevices`; '' for the system default. */
  deviceId: string;
  /**
   * The browser's echo cancellation, noise suppression and automatic gain. Off by default:
   * they are tuned for calls and can clip quiet word endings, while Whisper was trained on
   * unprocessed audio. Worth turning on next to loudspeakers or in a noisy room.
   */
  voiceProcessing: boolean;
}

/** False where the page may not ask for a microphone (an insecure origin, an old browser). */
export const canCapture = (): boolean =>
  typeof navigator !== 'undefined' &&
  typeof navigator.mediaDevices?.getUserMedia === 'function' &&
  typeof AudioWorkletNode !== 'undefined';

/** Asks for the microphone; rejects with the browser's DOMException (NotAllowedError, …). */
export function openMicrophone({ deviceId, voiceProcessing }: MicrophoneOptions) {
  return navigator.mediaDevices.getUserMedia({
    audio: {
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      channelCount: { ideal: 1 },
      echoCancellation: voiceProcessing,
      noiseSuppression: voiceProcessing,
      autoGainControl: voiceProcessing,
    },
  });
}

/** Audio flowing from a microphone to `onFrame`. */
export interface Capture {
  /** The rate the audio graph runs at (the worklet resamples when it is not 16 kHz). */
  readonly contextRate: number;
  /** Stops the frames, releases the microphone and closes the audio graph. Idempotent. */
  stop(): void;
}

export interface CaptureHandlers {
  /** Every 100 ms of 16 kHz PCM16 with its level, on the main thread. */
  onFrame(frame: CaptureFrame): void;
  /** The microphone went away (unplugged, or revoked by the system). */
  onEnded(): void;
}

/**
 * A context at 16 kHz lets the browser resample the microphone itself. A browser that cannot
 * connect a microphone to a context at another rate than the device's (Firefox) gets a context
 * at its own rate, and the worklet resamples.
 */
async function connectSource(stream: MediaStream) {
  const context = new AudioContext({ sampleRate: liveSampleRate, latencyHint: 'interactive' });
  try {
    return { context, source: context.createMediaStreamSource(stream) };
  } catch {
    await context.close();
    const fallback = new AudioContext({ latencyHint: 'interactive' });
    try {
      return { context: fallback, source: fallback.createMediaStreamSource(stream) };
    } catch (error) {
      await fallback.close();
      throw error;
    }
  }
}

/** Runs `stream` through the capture worklet. Stops the stream's tracks if it fails. */
export async function startCapture(
  stream: MediaStream,
  handlers: CaptureHandlers,
): Promise<Capture> {
  const stopTracks = () => stream.getTracks().forEach((track) => track.stop());
  let context: AudioContext | undefined;
  try {
    const connected = await connectSource(stream);
    context = connected.context;
    const { source } = connected;
    await context.audioWorklet.addModule(workletUrl);
    const node = new AudioWorkletNode(context, captureProcessorName, {
      numberOfInputs: 1,
      // No output: Chromium still runs a node without outputs, and nothing reaches the speakers.
      numberOfOutputs: 0,
      processorOptions: {
        targetRate: liveSampleRate,
        frameSamples,
      } satisfies CaptureProcessorOptions,
    });
    node.port.onmessage = (event: MessageEvent<CaptureFrame>) => handlers.onFrame(event.data);
    source.connect(node);
    // Started after awaits, the context may be suspended until resumed.
    if (context.state === 'suspended') await context.resume();
    const [track] = stream.getAudioTracks();
    const onEnded = () => handlers.onEnded();
    track?.addEventListener('ended', onEnded);

    let stopped = false;
    const running = context;
    return {
      contextRate: running.sampleRate,
      stop() {
        if (stopped) return;
        stopped = true;
        track?.removeEventListener('ended', onEnded);
        node.port.onmessage = null;
        source.disconnect();
        stopTracks();
        void running.close();
      },
    };
  } catch (error) {
    stopTracks();
    void context?.close();
    throw error;
  }
}
