import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../media/decode';
import { resolveFfmpegTools } from '../media/ffmpeg-tools';
import { engineRejection } from '../test-support/engine-rejection';
import type { SpeechRegionsDeps } from '../vad/speech-regions';
import { speech } from '../media/__fixtures__/media-fixtures';
import { detectSpeech } from '../whisper/addon';
import { testModels } from '../whisper/__fixtures__/whisper-fixtures';
import type { SpeakerTurn } from '../diarization/speaker-turns';
import { channelSpeakerTurns } from './channel-turns';

const work = mkdtempSync(join(tmpdir(), 'channel-turns-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function realDeps(): Promise<SpeechRegionsDeps> {
  const tools = await resolveFfmpegTools();
  return {
    decode: (file, options) => decodeAudio(tools, file, options),
    vadModelPath: testModels.sileroVad,
    // A worker's view: the diarization worker runs the addon's VAD itself (speaker-ops.ts).
    detect: detectSpeech,
  };
}

const spoken = (turns: SpeakerTurn[], speaker: string) =>
  turns.filter((t) => t.speaker === speaker).reduce((sum, t) => sum + (t.end - t.start) * 1000, 0);

describe('channelSpeakerTurns (real ffmpeg and Silero)', () => {
  it('gives each channel of the stereo fixture its own speaker, overlapping where both talk', async () => {
    const progress: number[] = [];
    const turns = await channelSpeakerTurns(await realDeps(), speech.stereo, {
      channels: 2,
      onProgress: (f) => progress.push(f),
    });
    expect(progress).toEqual([0.5, 1]);
    // Left: one sentence over 0.3–4.8 s; right: a shorter one over 0.3–2.6 s.
    expect(spoken(turns, 'channel-1')).toBeGreaterThan(3500);
    expect(spoken(turns, 'channel-2')).toBeGreaterThan(1800);
    expect(Math.max(...turns.filter((t) => t.speaker === 'channel-2').map((t) => t.end))).toBe(
      2.59,
    );
    for (let i = 1; i < turns.length; i++) {
      expect(turns[i]!.start).toBeGreaterThanOrEqual(turns[i - 1]!.start);
    }
  });

  it('does not take a voice bleeding faintly into the other microphone for a second speaker', async () => {
    // Left: jfk.wav; right: the same 30 dB quieter, as a far microphone would pick it up.
    const bleed = join(work, 'bleed.wav');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-i',
      speech.jfk,
      '-filter_complex',
      '[0:a]asplit[l][r];[r]volume=-30dB[rq];[l][rq]join=inputs=2:channel_layout=stereo',
      bleed,
    ]);
    const deps = await realDeps();
    const turns = await channelSpeakerTurns(deps, bleed, { channels: 2 });
    expect(spoken(turns, 'channel-1')).toBeGreaterThan(7000);
    expect(spoken(turns, 'channel-2')).toBe(0);
    // Allowing 40 dB, the faint copy counts as a speaker: the level check is what removed it.
    const strict = await channelSpeakerTurns(deps, bleed, { channels: 2, bleedDb: 40 });
    expect(spoken(strict, 'channel-2')).toBeGreaterThan(7000);
  });

  it('refuses a mono recording with a message that says what to use instead', async () => {
    const error = await engineRejection(
      channelSpeakerTurns(await realDeps(), speech.jfk, { channels: 1 }),
      'INVALID_ARGUMENT',
    );
    expect(error.message).toMatch(/two or more channels.*automatic speaker detection/);
  });
});
