import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../engine/create-engine';
import { cue, documentOf } from '../../engine/exports/__fixtures__/sample-document';
import { registerSearchCommand } from './search';

const dataDir = mkdtempSync(join(tmpdir(), 'search-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

beforeAll(async () => {
  const engine = createEngine({ dataDir });
  try {
    const media = engine.repos.media.insert({
      path: '/tmp/speech.wav',
      name: 'speech.wav',
      sizeBytes: 1,
      durationSec: 4000,
      container: 'wav',
      audioCodec: 'pcm_s16le',
      sampleRate: 16000,
      channels: 1,
      hasVideo: false,
    });
    const segments = [
      cue('a', null, 1500, 2500, ['the rain in Spain']),
      cue('b', null, 3_723_456, 3_725_000, ['falls mainly on the plain']),
      cue('c', null, 3_800_000, 3_801_000, ['rain again']),
    ];
    engine.repos.transcripts.insert({
      mediaId: media.id,
      modelId: null,
      language: 'en',
      document: documentOf(segments, []),
    });
  } finally {
    await engine.shutdown();
  }
});

/** Runs `studio --data-dir <tmp> search ...` in-process and returns what it printed. */
async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const program = new Command().option('--data-dir <dir>').exitOverride();
  registerSearchCommand(program);
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  await program.parseAsync(['--data-dir', dataDir, 'search', ...args], { from: 'user' });
  return { stdout, stderr };
}

describe('search command', () => {
  it('prints matching segments with their start times', async () => {
    const { stdout } = await run(['plai']);
    expect(stdout).toBe(
      'TIME          MEDIA       TEXT\n01:02:03.456  speech.wav  falls mainly on the plain\n',
    );
  });

  it('says when it shows only some hits, and prints JSON', async () => {
    const { stdout, stderr } = await run(['rain', '--limit', '1']);
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(stderr).toBe('Showing 1 of 2 hits; raise --limit to see more.\n');
    const json = JSON.parse((await run(['"in spain"', '--json'])).stdout);
    expect(json).toMatchObject({ total: 1, hits: [{ startMs: 1500, highlights: [[9, 17]] }] });
  });

  it('reports no hits, an empty query and a bad limit clearly', async () => {
    expect((await run(['snow'])).stdout).toBe('No transcript contains that.\n');
    await expect(run([' '])).rejects.toThrow(/search query is empty/);
    await expect(run(['rain', '--limit', '0'])).rejects.toThrow(/whole number from 1 to 200/);
  });
});
