/**
 * engine.media.probe through real engines: each engine's ffprobe setting is its own (no
 * module-wide binary path), and the signal it takes stops a running ffprobe.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../create-engine';
import {
  loggedLines,
  signalLogger,
  startedPid,
  writeNodeProgram,
} from '../process/__fixtures__/node-program';
import { processExists, speech, tempDir } from './__fixtures__/media-fixtures';

let dir: string;
let remove: () => Promise<void>;
const engines: Engine[] = [];

/** An engine in its own data folder whose ffprobe setting is `ffprobe` (PATH's when undefined). */
function engineWith(name: string, ffprobe?: string): Engine {
  const engine = createEngine({ dataDir: path.join(dir, name) });
  engines.push(engine);
  if (ffprobe) engine.settings.update({ ffprobePath: ffprobe });
  return engine;
}

/** A stand-in ffprobe: answers `-version` like ffprobe, and then runs `behaviour`. */
function fakeFfprobe(name: string, behaviour: string): Promise<string> {
  return writeNodeProgram(
    dir,
    name,
    `if (process.argv.includes('-version')) {
  process.stdout.write('ffprobe version 0-fake\\n');
} else {
${behaviour}
}`,
  );
}

beforeAll(async () => {
  ({ dir, remove } = await tempDir());
});
afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.shutdown()));
  await remove();
});

describe.skipIf(process.platform === 'win32')('engine.media.probe', () => {
  it('two engines with different ffprobe settings in one process each run their own', async () => {
    const fake = await fakeFfprobe(
      'opus-ffprobe',
      // Its packets end where it says the file does, so nothing asks ffmpeg to measure it.
      `process.stdout.write(JSON.stringify(process.argv.some((arg) => arg.startsWith('packet=')) ? {
    packets: [{ pts_time: '1234.4', duration_time: '0.1' }],
  } : {
    streams: [{ index: 0, codec_type: 'audio', codec_name: 'opus', sample_rate: '8000', channels: 1, duration: '1234.5' }],
    format: { format_name: 'ogg', duration: '1234.5' },
  }));`,
    );
    const real = engineWith('real');
    const other = engineWith('other', fake);
    const probes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? real : other).media.probe(speech.jfk)),
    );
    expect(probes.map((p) => [p.container, p.durationSec])).toEqual(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? ['wav', 11] : ['ogg', 1234.5])),
    );
  });

  it('its signal stops a running ffprobe: CANCELLED, and no process left behind', async () => {
    const log = path.join(dir, 'hanging.log');
    const engine = engineWith(
      'hanging',
      await fakeFfprobe('hanging-ffprobe', signalLogger(log, false)),
    );
    const controller = new AbortController();
    const pending = engine.media.probe(speech.jfk, { signal: controller.signal });
    const pid = await startedPid(log);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(processExists(pid)).toBe(false);
    expect(await loggedLines(log)).toContain('SIGTERM');
  });
});
