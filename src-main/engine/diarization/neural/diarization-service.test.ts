/**
 * The neural diarization for real: sherpa-onnx in the diarization worker process, started by the
 * pool, on dummy models generated into a temp folder and the two tone voices of tone-voices.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineRejection } from '../../test-support/engine-rejection';
import { forkNodeWorkers, type SpawnWorker } from '../../pool/worker-process';
import { streamOf } from '../__fixtures__/synthetic-voices';
import { speakersOf } from '../speaker-turns';
import {
  brokenSegmentationModel,
  EMBEDDING,
  embeddingModel,
  segmentationModel,
} from './__fixtures__/dummy-models';
import { renderTones, TWO_TONE_SECONDS, TWO_TONE_TURNS } from './__fixtures__/tone-voices';
import {
  createDiarizationService,
  diarizationWorkerEntry,
  type DiarizationService,
  type DiarizeRequest,
} from './diarization-service';
import { diarizeNeural } from './neural-diarizer';

const dir = mkdtempSync(join(tmpdir(), 'studio-neural-'));
const write = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const models = {
  segmentation: write('segmentation.onnx', segmentationModel()),
  embedding: write('embedding.onnx', embeddingModel()),
};
const pcm = renderTones(TWO_TONE_TURNS, TWO_TONE_SECONDS);

let service: DiarizationService;
const workerPids: number[] = [];
const cancelGraceMs = 300;
beforeAll(() => {
  const fork = forkNodeWorkers(diarizationWorkerEntry);
  const spawnWorker: SpawnWorker = (id) => {
    const worker = fork(id);
    if (worker.pid !== undefined) workerPids.push(worker.pid);
    return worker;
  };
  service = createDiarizationService({ spawnWorker, cancelGraceMs });
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

const request = (more: Partial<DiarizeRequest> = {}): DiarizeRequest => ({
  segmentationPath: models.segmentation,
  embeddingPath: models.embedding,
  pcm,
  ...more,
});
const cosine = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('neural diarization in its worker', () => {
  it('finds the six turns of the two tone voices and one print per voice', async () => {
    const progress: number[] = [];
    const result = await service.diarize(request({ onProgress: (p) => progress.push(p) }));
    expect(result.turns).toHaveLength(TWO_TONE_TURNS.length);
    const labelOf = new Map<string, string>();
    result.turns.forEach((turn, i) => {
      const expected = TWO_TONE_TURNS[i]!;
      expect(Math.abs(turn.start - expected.start)).toBeLessThan(0.1);
      expect(Math.abs(turn.end - expected.end)).toBeLessThan(0.1);
      if (!labelOf.has(expected.speaker)) labelOf.set(expected.speaker, turn.speaker);
      expect(turn.speaker).toBe(labelOf.get(expected.speaker));
    });
    expect(speakersOf(result.turns)).toEqual(['SPEAKER_00', 'SPEAKER_01']);

    const [dark, bright] = [result.prints.SPEAKER_00!, result.prints.SPEAKER_01!];
    for (const print of [dark, bright]) {
      expect(print).toHaveLength(EMBEDDING.outputDim);
      expect(cosine(print, print)).toBeCloseTo(1, 5);
    }
    expect(cosine(dark, bright)).toBeLessThan(0.5);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(1);
  }, 60_000);

  it('clamps turns to the end of the audio and stays silent on silence', async () => {
    const cut = renderTones([{ speaker: 'bright', start: 1, end: 12 }], 12);
    const { turns } = await service.diarize(request({ pcm: cut }));
    expect(turns.length).toBeGreaterThan(0);
    expect(turns.at(-1)!.end).toBeLessThanOrEqual(12);
    await expect(service.diarize(request({ pcm: new Float32Array(16_000 * 5) }))).resolves.toEqual({
      turns: [],
      prints: {},
    });
  }, 60_000);

  it('refuses a model without a required metadata key before sherpa-onnx loads it', async () => {
    const pid = workerPids.at(-1);
    const noSpeakers = write('no-speakers.onnx', segmentationModel({ num_speakers: null }));
    const error = await engineRejection(
      service.diarize(request({ segmentationPath: noSpeakers })),
      'MODEL_LOAD_FAILED',
    );
    expect(error.message).toMatch(/no-speakers\.onnx lacks the metadata key "num_speakers"/);
    expect(error.details).toMatchObject({ fix: 'redownload-model' });
    // sherpa-onnx would have ended the process (exit 255) on this file: the worker lives on.
    expect(workerPids.at(-1)).toBe(pid);
    expect(isAlive(pid!)).toBe(true);
  }, 60_000);

  it('reports a model that crashes the worker, and the next diarization runs', async () => {
    const broken = write('broken.onnx', brokenSegmentationModel());
    const spawned = workerPids.length;
    const error = await engineRejection(
      service.diarize(request({ segmentationPath: broken })),
      'WORKER_CRASHED',
    );
    expect(error.message).toMatch(/The speaker-diarization models crashed their worker process/);
    expect(error.message).toMatch(/broken\.onnx or embedding\.onnx is damaged/);
    expect(error.details).toMatchObject({ signal: 'SIGABRT' });
    const next = await service.diarize(request());
    expect(next.turns).toHaveLength(TWO_TONE_TURNS.length);
    expect(workerPids.length).toBe(spawned + 1); // replaced once, not retried with the bad model
  }, 60_000);

  it('cancels a running diarization by killing its worker', async () => {
    const long = renderTones(
      Array.from({ length: 60 }, (_, i) => ({
        speaker: i % 2 === 0 ? 'dark' : 'bright',
        start: 10 * i + 0.5,
        end: 10 * i + 9,
      })),
      600,
    );
    const pid = workerPids.at(-1)!;
    const controller = new AbortController();
    let abortedAt = 0;
    const running = service.diarize(
      request({
        pcm: long,
        signal: controller.signal,
        // The first progress comes once sherpa-onnx is past the segmentation, deep in native code.
        onProgress: () => {
          if (abortedAt) return;
          abortedAt = Date.now();
          controller.abort();
        },
      }),
    );
    await engineRejection(running, 'CANCELLED');
    expect(Date.now() - abortedAt).toBeLessThan(cancelGraceMs + 1000);
    expect(isAlive(pid)).toBe(false);
    await expect(service.diarize(request())).resolves.toMatchObject({
      turns: expect.arrayContaining([expect.objectContaining({ speaker: 'SPEAKER_01' })]),
    });
  }, 60_000);
});

describe('diarizeNeural', () => {
  const run = (detection: { count?: number; min?: number; max?: number }) =>
    diarizeNeural({
      service,
      models: {
        segmentation: { id: 'seg', path: models.segmentation, sha256: null },
        embedding: { id: 'emb', path: models.embedding, sha256: null },
      },
      audio: streamOf(pcm, 30),
      durationSec: TWO_TONE_SECONDS,
      detection,
    });
  const count = async (detection: Parameters<typeof run>[0]) =>
    speakersOf((await run(detection)).turns).length;

  it('finds the two voices by threshold, or the count it is told', async () => {
    expect(await count({})).toBe(2);
    expect(await count({ count: 3 })).toBe(3);
    expect(await count({ min: 1, max: 4 })).toBe(2);
  }, 60_000);

  it('runs again with the nearest bound when the count found is outside min/max', async () => {
    expect(await count({ max: 1 })).toBe(1);
    expect(await count({ min: 3 })).toBe(3);
  }, 60_000);
});
