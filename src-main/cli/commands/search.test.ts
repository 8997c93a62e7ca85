import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../engine/create-engine';
import { cue, documentOf } from '../../engine/exports/__fixtures__/sample-document';
import { registerSearchCommand } from './search';
import { runCommand } from '../__fixtures__/run-command';

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

const run = (args: string[]) => runCommand(registerSearchCommand, dataDir, ['search', ...args]);

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
