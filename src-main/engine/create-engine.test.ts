import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './create-engine';
import { isEngineError } from './errors';
import { peaksCacheFile } from './media/peaks';
import { dataLayout } from './paths';
import { readWav16kMono, speech, testModels } from './whisper/__fixtures__/whisper-fixtures';

const jfk = join(import.meta.dirname, '..', '..', 'test-data', 'fixtures', 'speech', 'jfk.wav');

let dataDir: string;
let engine: Engine;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'studio-engine-'));
  engine = createEngine({ dataDir });
});
afterEach(async () => {
  await engine.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('media in the library', () => {
  it('adds a file with its probe facts, caches its peaks and removes both', async () => {
    const media = await engine.media.add(jfk);
    expect(media).toMatchObject({
      name: 'jfk.wav',
      sampleRate: 16000,
      channels: 1,
      hasVideo: false,
    });
    expect(media.durationSec).toBeCloseTo(11, 0);
    expect(engine.repos.media.list().map((m) => m.id)).toEqual([media.id]);

    const peaks = await engine.media.peaks(media.id);
    expect(peaks.peaks.length).toBe(Math.ceil((media.durationSec * 16000) / peaks.samplesPerPeak));
    const cacheFile = peaksCacheFile(dataLayout(dataDir).peaks, media.id);
    expect(existsSync(cacheFile)).toBe(true);

    await engine.media.remove(media.id);
    expect(engine.repos.media.get(media.id)).toBeUndefined();
    expect(existsSync(cacheFile)).toBe(false);
    expect(existsSync(jfk)).toBe(true);
  });

  it('stores nothing for a file it refuses', async () => {
    const text = join(dataDir, 'notes.txt');
    writeFileSync(text, 'not audio at all\n'.repeat(50));
    await expect(engine.media.add(text)).rejects.toMatchObject({ code: 'MEDIA_UNREADABLE' });
    expect(engine.repos.media.list()).toEqual([]);
  });

  it('applies the media limits from settings', async () => {
    engine.settings.update({ mediaLimits: { maxDurationSec: 5, maxBytes: 10 ** 9 } });
    await expect(engine.media.add(jfk)).rejects.toMatchObject({ code: 'MEDIA_TOO_LONG' });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    await expect(engine.media.peaks('missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('whisper', () => {
  it('transcribes with an imported model in a worker process and reports it in system()', async () => {
    const model = await engine.models.importFile(testModels.tinyEn, { id: 'tiny-en-empty' });
    expect(model.status).toBe('ready');
    const before = await engine.system();
    expect(before.whisper.addon).toMatchObject({ available: true, problem: null });
    expect(before.whisper.plan.reason).toMatch(/worker.*threads/);
    expect(before.whisper.workers).toEqual([]); // workers start with the first transcription

    const done = await engine.whisper.transcribe({
      modelId: 'tiny-en-empty',
      pcm: readWav16kMono(speech.jfk),
      params: { language: 'en' },
    });
    expect(done.result).toMatchObject({ segments: expect.any(Array), language: 'en' });
    const after = await engine.system();
    expect(after.whisper.workers).toHaveLength(before.whisper.plan.workers);
    expect(after.whisper.workers[0]?.pid).toEqual(expect.any(Number));
  }, 60_000);

  it('refuses an unknown or non-whisper model, naming it', async () => {
    await expect(
      engine.whisper.transcribe({ modelId: 'whisper-huge', pcm: new Float32Array(16000) }),
    ).rejects.toMatchObject({ code: 'MODEL_UNKNOWN' });
    await expect(
      engine.whisper.transcribe({ modelId: 'silero-vad-v6.2.0', pcm: new Float32Array(16000) }),
    ).rejects.toThrow(/is a vad model, not a Whisper model/);
    await expect(
      engine.whisper.transcribe({ modelId: 'whisper-base.en', pcm: new Float32Array(16000) }),
    ).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
  });
});

describe('shutdown', () => {
  it('cancels running operations, refuses new ones and closes the database', async () => {
    let sawAbort = false;
    const running = engine.tasks.run('a long task', (signal) => {
      return new Promise((_, reject) => {
        signal.addEventListener('abort', () => {
          sawAbort = true;
          reject(signal.reason);
        });
      });
    });
    expect(engine.tasks.active).toBe(1);
    await engine.shutdown();
    expect(sawAbort).toBe(true);
    await expect(running).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
    expect(engine.state).toBe('closed');
    await expect(engine.tasks.run('late', async () => 1)).rejects.toSatisfy((e) =>
      isEngineError(e, 'SHUTTING_DOWN'),
    );
    expect(() => engine.repos.media.list()).toThrow(/not open/);
    await engine.shutdown(); // a second call is a no-op
  });

  it('lets a caller cancel its own operation without touching others', async () => {
    const caller = new AbortController();
    const mine = engine.tasks.run(
      'mine',
      (signal) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      caller.signal,
    );
    const other = engine.tasks.run('other', async () => 'done');
    caller.abort(new Error('user cancelled'));
    await expect(mine).rejects.toThrow('user cancelled');
    await expect(other).resolves.toBe('done');
  });
});

describe('createEngine', () => {
  it('refuses a data folder it cannot create, saying which', () => {
    const blocker = join(dataDir, 'file');
    writeFileSync(blocker, '');
    expect(() => createEngine({ dataDir: join(blocker, 'data') })).toThrow(
      /Cannot create the data folder .*file\/data/,
    );
  });
});

describe('crash leftovers', () => {
  it('removes old files no library item names from uploads/, once, when an engine starts', async () => {
    expect(await engine.leftoversSwept).toEqual([]);
    const { uploads } = dataLayout(dataDir);
    const kept = join(uploads, 'kept.wav');
    const leftover = join(uploads, 'upload-from-a-crash.wav');
    mkdirSync(uploads, { recursive: true });
    copyFileSync(jfk, kept);
    copyFileSync(jfk, leftover);
    await engine.media.add(kept);
    await engine.shutdown();
    const old = (Date.now() - 3 * 24 * 3600 * 1000) / 1000;
    utimesSync(kept, old, old);
    utimesSync(leftover, old, old);

    engine = createEngine({ dataDir });
    expect(await engine.leftoversSwept).toEqual([leftover]);
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(kept)).toBe(true);
    expect(engine.repos.media.pathsUnder(uploads)).toEqual(new Set([kept]));
  });
});
