import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fixturePayload,
  startFixtureServer,
  type FixtureServer,
} from '../engine/models/__fixtures__/fixture-server';

const root = join(import.meta.dirname, '..', '..');
const jfk = join(root, 'test-data', 'fixtures', 'speech', 'jfk.wav');
const work = mkdtempSync(join(tmpdir(), 'studio-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI entry (what `npm run cli --` runs) as a child process. */
async function cli(args: string[], dataDir = join(work, 'data')): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src-main/cli/main.ts', '--data-dir', dataDir, ...args],
      { cwd: root, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const ffmpeg = (args: string[]) => promisify(execFile)('ffmpeg', ['-v', 'error', '-y', ...args]);

describe('cli probe', () => {
  let silentVideo: string;
  let textFile: string;
  beforeAll(async () => {
    silentVideo = join(work, 'no-audio.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=d=1:s=64x64', '-pix_fmt', 'yuv420p', silentVideo]);
    textFile = join(work, 'notes.txt');
    writeFileSync(textFile, 'These are meeting notes, not audio.\n'.repeat(20));
  });

  it('prints duration, sample rate, channels and codec as JSON', async () => {
    const result = await cli(['probe', jfk]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ sampleRate: 16000, channels: 1, codec: 'pcm_s16le' });
    expect(json.durationSec).toBeCloseTo(11, 0);
  });

  it.each([
    ['a text file', () => textFile, /notes\.txt.* is a text file, not audio or video/],
    ['a video without audio', () => silentVideo, /no audio/i],
    ['a missing file', () => join(work, 'nope.wav'), /no file exists at .*nope\.wav/i],
  ])('refuses %s with one line saying what is wrong', async (_, file, pattern) => {
    const result = await cli(['probe', file()]);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(pattern);
  });

  it('refuses a file over the configured duration limit', async () => {
    const dataDir = join(work, 'limited');
    // Settings live in the library; write the limit through the engine the CLI opens.
    const { createEngine } = await import('../engine/create-engine');
    const engine = createEngine({ dataDir });
    engine.settings.update({ mediaLimits: { maxDurationSec: 5, maxBytes: 10 ** 9 } });
    await engine.shutdown();
    const result = await cli(['probe', jfk], dataDir);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/jfk\.wav.* 11 s long, more than .*\[MEDIA_TOO_LONG\]/);
  });
});

describe('cli models', () => {
  let server: FixtureServer;
  let catalog: string;
  /** A catalog holding one model served by the loopback fixture server (or from `url`). */
  const writeCatalog = (file: string, url = server.url) => {
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        models: [
          {
            id: 'whisper-fixture',
            kind: 'whisper',
            name: 'Fixture',
            description: 'A test payload.',
            url,
            fileName: 'ggml-fixture.bin',
            sizeBytes: server.payload.length,
            sha256: server.sha256,
            license: 'MIT',
            languages: ['en'],
          },
        ],
      }),
    );
    return file;
  };
  beforeAll(async () => {
    server = await startFixtureServer(fixturePayload(3_000_000, 7, true));
    catalog = writeCatalog(join(work, 'catalog.json'));
  });
  afterAll(() => server.close());

  it('lists the real catalog with each model status', async () => {
    const result = await cli(['models', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ID\s+KIND\s+SIZE\s+LANGUAGES\s+STATUS/);
    expect(result.stdout).toMatch(/whisper-tiny\.en\s+whisper\s+77\.7 MB\s+en\s+missing/);
    expect(result.stdout).toMatch(/silero-vad-v6\.2\.0\s+vad/);
    const json = JSON.parse((await cli(['models', 'list', '--json'])).stdout) as {
      models: { id: string; status: string }[];
    };
    expect(json.models.length).toBeGreaterThan(30);
    expect(new Set(json.models.map((m) => m.status))).toEqual(new Set(['missing']));
  });

  it('downloads over HTTP, verifies, lists it ready, then deletes it', async () => {
    const dataDir = join(work, 'download');
    const download = await cli(
      ['--catalog', catalog, 'models', 'download', 'whisper-fixture'],
      dataDir,
    );
    // Without a terminal, progress goes to stderr as plain lines.
    expect(download.stderr).not.toMatch(/error/i);
    expect(download.code).toBe(0);
    const file = join(dataDir, 'models', 'ggml-fixture.bin');
    expect(download.stdout).toContain(`whisper-fixture is ready: ${file}`);
    expect(statSync(file).size).toBe(server.payload.length);
    expect((await cli(['--catalog', catalog, 'models', 'list'], dataDir)).stdout).toMatch(
      /whisper-fixture\s+whisper\s+3\.0 MB\s+en\s+ready/,
    );
    expect(
      (await cli(['--catalog', catalog, 'models', 'delete', 'whisper-fixture'], dataDir)).code,
    ).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it('says the server is unreachable when it is gone', async () => {
    // A port whose server just closed: connections are refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const gone = writeCatalog(
      join(work, 'gone-catalog.json'),
      `http://127.0.0.1:${port}/model.bin`,
    );
    const result = await cli(
      ['--catalog', gone, 'models', 'download', 'whisper-fixture'],
      join(work, 'offline'),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^error: .*(reach|connection).*\[MODEL_OFFLINE\]$/im);
  });

  it('names the model it does not know', async () => {
    const result = await cli(['models', 'download', 'whisper-enormous']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/whisper-enormous.*\[MODEL_UNKNOWN\]/);
  });
});
