/**
 * The fallback diarizer and the per-channel speakers run in the diarization worker process
 * (real worker, real ffmpeg, real Silero): the same turns as running them here, progress
 * forwarded, and a cancel that stops the run and leaves the worker serving.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import {
  createDiarizationService,
  diarizationWorkerEntry,
  type DiarizationService,
} from '../diarization/neural/diarization-service';
import { decodeAudio } from '../media/decode';
import { resolveFfmpegTools, type FfmpegTools } from '../media/ffmpeg-tools';
import { speech } from '../media/__fixtures__/media-fixtures';
import { forkNodeWorkers } from '../pool/worker-process';
import { engineRejection } from '../test-support/engine-rejection';
import { detectSpeech } from '../whisper/addon';
import { testModels } from '../whisper/__fixtures__/whisper-fixtures';
import { channelSpeakerTurns } from './channel-turns';
import { fallbackSpeakers } from './speaker-ops';

const twoSpeakers = resolve(
  import.meta.dirname,
  '../../../test-data/fixtures/diarization/sample.wav',
);

let tools: FfmpegTools;
let service: DiarizationService;
beforeAll(async () => {
  tools = await resolveFfmpegTools();
  service = createDiarizationService({ spawnWorker: forkNodeWorkers(diarizationWorkerEntry) });
});
afterAll(() => service.close());

const audio = (file: string) => ({
  tools,
  file,
  streamIndex: 0,
  vadModelPath: testModels.sileroVad,
});
const here = { signal: new AbortController().signal, onProgress: () => {} };

describe('speaker finding in the diarization worker', () => {
  it('gives the fallback diarizer the same turns and voices as running it in this process, with progress', async () => {
    const progress: number[] = [];
    const inWorker = await service.fallback({
      ...audio(twoSpeakers),
      speech: null,
      onProgress: (fraction) => progress.push(fraction),
    });
    const inProcess = await fallbackSpeakers({ ...audio(twoSpeakers), speech: null }, here);
    expect(inWorker.turns.length).toBeGreaterThan(2);
    expect(new Set(inWorker.turns.map((t) => t.speaker)).size).toBe(2);
    expect(inWorker).toEqual(inProcess);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toBe(1);

    // Given regions (the transcription's), it skips its own VAD pass and uses them.
    const given = await service.fallback({
      ...audio(twoSpeakers),
      speech: [{ startMs: 0, endMs: 12_000 }],
      numSpeakers: 1,
    });
    expect(given.turns).toEqual([{ start: 0, end: 12, speaker: 'SPEAKER_00' }]);
  }, 60_000);

  it('gives each channel its own speaker as channelSpeakerTurns does here', async () => {
    const inWorker = await service.channels({ ...audio(speech.stereo), channels: 2 });
    const inProcess = await channelSpeakerTurns(
      {
        decode: (path, options) => decodeAudio(tools, path, options),
        vadModelPath: testModels.sileroVad,
        detect: detectSpeech,
      },
      speech.stereo,
      { channels: 2, streamIndex: 0 },
    );
    expect(new Set(inWorker.map((t) => t.speaker))).toEqual(new Set(['channel-1', 'channel-2']));
    expect(inWorker).toEqual(inProcess);
  }, 60_000);

  it('stops a cancelled run with the signal’s reason and keeps serving', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = service.fallback({
      ...audio(twoSpeakers),
      speech: null,
      signal: controller.signal,
      onProgress: () => controller.abort(new EngineError('CANCELLED', 'Stopped by the test.')),
    });
    const error = await engineRejection(pending, 'CANCELLED');
    expect(error.message).toBe('Stopped by the test.');
    expect(Date.now() - started).toBeLessThan(5_000);
    const after = await service.fallback({ ...audio(speech.jfk), speech: null, numSpeakers: 1 });
    expect(after.turns.length).toBeGreaterThan(0);
  }, 60_000);
});
