/** Something that stopped (or keeps) live captions from working, as the view explains it. */
export interface LiveProblem {
  title: string;
  /** What happened and what to do about it. */
  message: string;
  /** A section of the studio that fixes it, linked under the message. */
  fix?: 'models';
}

export interface MicrophoneContext {
  /** In the Electron app (permissions live in the operating system, not a site setting). */
  electron: boolean;
  /** A specific input was chosen (not the system default). */
  chosenDevice: boolean;
}

const again = 'then press Start again.';

/** The problem a failed `getUserMedia` (or the audio set-up after it) means. */
export function microphoneProblem(error: unknown, context: MicrophoneContext): LiveProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return {
        title: 'The microphone is blocked',
        message: context.electron
          ? `Transcription Studio is not allowed to use the microphone. Allow it in the system's privacy settings (on macOS: System Settings › Privacy & Security › Microphone), ${again}`
          : `This page is not allowed to use the microphone. Click the icon at the left of the address bar (a lock or a microphone), set Microphone to Allow, reload the page if the browser asks, ${again}`,
      };
    case 'NotFoundError':
    case 'OverconstrainedError':
      return context.chosenDevice
        ? {
            title: 'The chosen microphone is not available',
            message: `It may have been unplugged. Connect it, or pick another input, ${again}`,
          }
        : {
            title: 'No microphone found',
            message: `Connect a microphone (or turn one on in the system's sound settings), ${again}`,
          };
    case 'NotReadableError':
    case 'AbortError':
      return {
        title: 'The microphone is busy',
        message: `The system could not open it: another app may be using it. Close that app or pick another input, ${again}`,
      };
    default: {
      const said = error instanceof Error ? error.message : String(error);
      return {
        title: 'The microphone could not be opened',
        message: `${said}${/[.!?]$/.test(said) ? '' : '.'} Check the input, ${again}`,
      };
    }
  }
}

/** Shown when the page has no `navigator.mediaDevices` (an insecure origin). */
export const noMediaDevicesProblem: LiveProblem = {
  title: 'This page cannot reach the microphone',
  message:
    'Browsers offer the microphone only to pages opened over https or from this computer (127.0.0.1 or localhost). Open the studio at the address the serve command printed.',
};

const serverTitles: Record<string, string> = {
  QUEUE_FULL: 'Too many live sessions',
  MODEL_NOT_READY: 'The speech model is not ready',
  MODEL_UNKNOWN: 'The speech model is not ready',
  MODEL_LOAD_FAILED: 'The speech model could not be loaded',
  TIMED_OUT: 'No audio arrived',
  DISK_FULL: 'The disk is full',
  SHUTTING_DOWN: 'The engine is shutting down',
  TRANSCRIBE_FAILED: 'Live transcription failed',
  WORKER_CRASHED: 'Live transcription failed',
  INVALID_ARGUMENT: 'The engine refused the stream',
  UNAUTHORIZED: 'Not signed in to the engine',
  FORBIDDEN_SCOPE: 'Not allowed to use live captions',
};

const modelCodes = new Set(['MODEL_NOT_READY', 'MODEL_UNKNOWN', 'MODEL_LOAD_FAILED']);

/** The problem an `error` event from `/v1/live` reports, in the engine's own words. */
export function serverProblem(code: string, message: string): LiveProblem {
  return {
    title: serverTitles[code] ?? `The engine reported a problem (${code})`,
    message,
    ...(modelCodes.has(code) ? { fix: 'models' as const } : {}),
  };
}

/** The socket closed with no `end` and no `error` first. */
export function closedProblem(code: number, reason: string, opened: boolean): LiveProblem {
  const detail = `code ${code}${reason ? `: ${reason}` : ''}`;
  return opened
    ? {
        title: 'The connection to the engine was lost',
        message: `It closed unexpectedly (${detail}). The captions so far stay on screen; the recording was not saved. Check that the engine is still running, ${again}`,
      }
    : {
        title: 'Could not connect to live captions',
        message: `The engine refused or dropped the connection (${detail}). Check that it is still running, ${again}`,
      };
}
