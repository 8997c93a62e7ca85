/**
 * The engine's own process (serve's, the desktop app's main process) never loads the native
 * whisper addon or sherpa-onnx: speech detection, system info, languages, Whisper, and speaker
 * finding run in worker processes, so a native crash costs a worker, never the app. This test
 * drives a real engine through everything that used to load the addon here and then looks at
 * what this process has loaded.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from './create-engine';
import { decodeAll } from './media/decode';
import { speech } from './media/__fixtures__/media-fixtures';
import { jobFinished } from './test-support/job-finished';
import { createTestEngine } from './test-support/test-engine';
import { addonLoaded } from './whisper/addon';

let work: string;
let engine: Engine;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'studio-native-boundary-'));
  engine = await createTestEngine(join(work, 'data'));
}, 60_000);
afterAll(async () => {
  await engine?.shutdown();
  await rm(work, { recursive: true, force: true });
});

/** Native libraries mapped into this process (Linux; elsewhere only the flag is checked). */
function mappedNativeLibraries(): string[] {
  if (process.platform !== 'linux') return [];
  const maps = readFileSync('/proc/self/maps', 'utf8');
  return ['studio_whisper.node', 'sherpa-onnx', 'onnxruntime'].filter((name) =>
    maps.includes(name),
  );
}

describe("the engine's process", () => {
  it('never loads the whisper addon or sherpa-onnx: jobs with VAD and speakers, live captions and system info run in workers', async () => {
    // A transcription with the VAD and the fallback diarizer (no neural models installed).
    const mono = await engine.media.add(speech.jfk);
    const auto = engine.jobs.submit({
      kind: 'transcribe',
      mediaId: mono.id,
      params: { modelId: 'tiny-random', language: 'en', vad: true, speakers: { mode: 'auto' } },
    });
    const autoDone = await jobFinished(engine, auto.id);
    expect(autoDone.state, JSON.stringify(autoDone.error)).toBe('completed');
    expect(autoDone.stage).not.toBeNull();

    // One speaker per channel.
    const stereo = await engine.media.add(speech.stereo);
    const channels = engine.jobs.submit({
      kind: 'transcribe',
      mediaId: stereo.id,
      params: { modelId: 'tiny-random', language: 'auto', speakers: { mode: 'channels' } },
    });
    const channelsDone = await jobFinished(engine, channels.id);
    expect(channelsDone.state, JSON.stringify(channelsDone.error)).toBe('completed');

    // A live session with the Silero detector.
    const pcm = await decodeAll(await engine.media.tools(), speech.jfk, { durationSec: 6 });
    const events: string[] = [];
    const session = engine.live.open({
      save: false,
      language: 'en',
      onEvent: (event) => events.push(event.type),
      onDone: () => {},
    });
    for (let at = 0; at < pcm.length; at += 16_000) {
      session.push(pcm.subarray(at, Math.min(pcm.length, at + 16_000)));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await session.stop();
    expect(events).toContain('end');

    // System info (the addon's devices and CPU features, from a worker).
    const system = await engine.system();
    expect(system.whisper.addon.available).toBe(true);
    expect(system.whisper.addon.features).toMatch(/\w/);

    expect(addonLoaded()).toBe(false);
    expect(mappedNativeLibraries()).toEqual([]);
  }, 120_000);
});
