/**
 * A worker process with a scripted Whisper runtime, for testing the pool's process handling
 * (crashes, stuck native code, cancellation, lanes) without model files. Behaviour comes from
 * the job's params.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WhisperRuntime } from '../runtime';
import { runWorker } from '../worker-main';
import { currentProcessPort } from '../worker-port';

interface Script {
  /** How long the "transcription" takes. @default 100 */
  durationMs?: number;
  /** Exit abruptly: 'always', or only while this marker file does not exist yet. */
  crash?: 'always' | { onceMarker: string };
  /** Block the thread like native code that never checks the abort flag. */
  ignoreAbort?: boolean;
  /** Reject with this message. */
  fail?: string;
}

let loads = 0;
const runtime: WhisperRuntime<{ path: string }> = {
  async loadModel(spec) {
    loads += 1;
    if (spec.path.endsWith('missing.bin')) throw new Error(`no model at ${spec.path}`);
    return { path: spec.path };
  },
  async transcribe(context, pcm, params, { signal, onProgress, onSegment }) {
    const script = params as Script;
    if (script.crash === 'always') process.exit(70);
    if (script.crash && !existsSync(script.crash.onceMarker)) {
      writeFileSync(script.crash.onceMarker, 'crashed');
      process.kill(process.pid, 'SIGKILL');
    }
    if (script.fail) throw new Error(script.fail);
    const duration = script.durationMs ?? 100;
    if (script.ignoreAbort) {
      const until = Date.now() + duration;
      while (Date.now() < until) {
        // Spin: the event loop (and so the cancel message) is blocked, as in a stuck native call.
      }
    } else {
      for (let elapsed = 0; elapsed < duration; elapsed += 20) {
        signal?.throwIfAborted();
        onProgress?.(elapsed / duration);
        await sleep(20);
      }
    }
    onSegment?.({ text: 'segment' });
    let sum = 0;
    for (const sample of pcm) sum += sample;
    return { model: context.path, samples: pcm.length, sum, loads, pid: process.pid };
  },
  freeModel() {},
  deviceOf: () => 'cpu',
};

runWorker(runtime, currentProcessPort());
