/**
 * The fallback diarizer on synthetic voices (see __fixtures__/synthetic-voices.ts): what it must
 * get right when voices differ clearly, its options, cancellation and streaming. Its accuracy on
 * real recordings is in fallback-diarizer.fixtures.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { engineRejection } from '../test-support/engine-rejection';
import {
  concat,
  streamOf,
  synthSpeech,
  voiceHigh,
  voiceLow,
} from './__fixtures__/synthetic-voices';
import { diarizationErrorRate } from './der';
import { diarizeWithoutModel, FALLBACK_DIARIZER_NOTE } from './fallback-diarizer';
import { voiceDifferenceDb } from './similar-clusters';

/** Low and high voices taking 3 s turns: L H L H L H L H (24 s), and the reference turns. */
const pieces = Array.from({ length: 8 }, (_, i) =>
  synthSpeech(i % 2 ? voiceHigh : voiceLow, 3, i + 1),
);
const dialogue = concat(pieces);
const dialogueTurns = pieces.map((_, i) => ({
  start: 3 * i,
  end: 3 * i + 3,
  speaker: i % 2 ? 'high' : 'low',
}));
const all = (pcm: Float32Array) => [{ start: 0, end: pcm.length / 16_000 }];

describe('diarizeWithoutModel on synthetic voices', () => {
  it('finds two voices and their turns exactly, without being told how many', async () => {
    const result = await diarizeWithoutModel(streamOf(dialogue), all(dialogue));
    expect(result.diarizer).toBe('fallback');
    expect(result.note).toBe(FALLBACK_DIARIZER_NOTE);
    expect(result.speakers).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    expect(result.turns).toEqual(
      dialogueTurns.map((t, i) => ({ ...t, speaker: i % 2 ? 'SPEAKER_01' : 'SPEAKER_00' })),
    );
  });

  it('gives each speaker a voice print that recognises the voice in another recording', async () => {
    const { voices } = await diarizeWithoutModel(streamOf(dialogue), all(dialogue));
    expect(Object.keys(voices)).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    const low = voices.SPEAKER_00!;
    const high = voices.SPEAKER_01!;
    expect(voiceDifferenceDb(low, high)).toBeGreaterThan(3);
    // The low voice again, other vowels (another seed): closer to its own print than to the other.
    const again = synthSpeech(voiceLow, 12, 42);
    const later = await diarizeWithoutModel(streamOf(again), all(again));
    const print = later.voices.SPEAKER_00!;
    expect(voiceDifferenceDb(print, low)).toBeLessThan(1.5);
    expect(voiceDifferenceDb(print, high)).toBeGreaterThan(3);
  });

  it('finds one speaker in one voice speaking varied vowels', async () => {
    for (const [voice, seed] of [
      [voiceLow, 99],
      [voiceHigh, 7],
    ] as const) {
      const monologue = synthSpeech(voice, 24, seed);
      const result = await diarizeWithoutModel(streamOf(monologue), all(monologue));
      expect(result.speakers).toEqual(['SPEAKER_00']);
      expect(result.turns).toEqual([{ start: 0, end: 24, speaker: 'SPEAKER_00' }]);
    }
  });

  it('takes two voices that never alternate for one, unless told there are more', async () => {
    // A then B: like one voice whose sound drifts once (speaker-returns.ts).
    const once = concat([synthSpeech(voiceLow, 12, 5), synthSpeech(voiceHigh, 12, 6)]);
    const found = await diarizeWithoutModel(streamOf(once), all(once));
    expect(found.speakers).toEqual(['SPEAKER_00']);
    const told = await diarizeWithoutModel(streamOf(once), all(once), { minSpeakers: 2 });
    // The change falls within a block (0.5 s) of the truth: that block's context mixes both.
    expect(told.turns.map((t) => t.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    expect(Math.abs(told.turns[1]!.start - 12)).toBeLessThanOrEqual(0.5);
  });

  it('keeps turns inside the speech regions and leaves the gaps silent', async () => {
    const speech = [
      { start: 0.5, end: 5.5 },
      { start: 6.5, end: 11 },
      { start: 13, end: 17.2 },
    ];
    const result = await diarizeWithoutModel(streamOf(dialogue), speech, { numSpeakers: 2 });
    for (const turn of result.turns) {
      expect(speech.some((r) => turn.start >= r.start && turn.end <= r.end)).toBe(true);
    }
    expect(result.turns[0]!.start).toBe(0.5);
    expect(result.turns.at(-1)!.end).toBe(17.2);
    // The voice changes at 3, 6, 9, 12 and 15 s: all inside a region fall on the 0.5 s grid.
    const der = diarizationErrorRate(dialogueTurns, result.turns, { scored: speech });
    expect(der.der).toBe(0);
  });

  it('gives exactly numSpeakers, and keeps within minSpeakers / maxSpeakers', async () => {
    const three = await diarizeWithoutModel(streamOf(dialogue), all(dialogue), { numSpeakers: 3 });
    expect(three.speakers).toHaveLength(3);
    const one = await diarizeWithoutModel(streamOf(dialogue), all(dialogue), { maxSpeakers: 1 });
    expect(one.turns).toEqual([{ start: 0, end: 24, speaker: 'SPEAKER_00' }]);
    const monologue = synthSpeech(voiceLow, 12, 99);
    const two = await diarizeWithoutModel(streamOf(monologue), all(monologue), { minSpeakers: 2 });
    expect(two.speakers).toHaveLength(2);
  });

  it('cuts long recordings at speaker changes before clustering (maxClusterItems)', async () => {
    // 48 blocks squeezed into 8 segments before clustering: the 8 turns survive, each change
    // within one block (0.5 s) of the truth; the block around a change mixes both voices in its
    // 1.5 s context, so it may go either way.
    const result = await diarizeWithoutModel(streamOf(dialogue), all(dialogue), {
      maxClusterItems: 8,
    });
    expect(result.speakers).toHaveLength(2);
    expect(result.turns).toHaveLength(8);
    result.turns.forEach((turn, i) => {
      expect(turn.speaker).toBe(i % 2 ? 'SPEAKER_01' : 'SPEAKER_00');
      expect(Math.abs(turn.start - 3 * i)).toBeLessThanOrEqual(0.5);
    });
  });

  it('is deterministic', async () => {
    const speech = [{ start: 1, end: 20 }];
    const a = await diarizeWithoutModel(streamOf(dialogue, 0.7), speech, { numSpeakers: 3 });
    const b = await diarizeWithoutModel(streamOf(dialogue, 2), speech, { numSpeakers: 3 });
    expect(b).toEqual(a);
  });

  it('reports progress up to 1 and stops reading after the last region', async () => {
    let chunksRead = 0;
    let closed = false;
    async function* counted() {
      try {
        for await (const chunk of streamOf(dialogue, 1)) {
          chunksRead++;
          yield chunk;
        }
      } finally {
        closed = true;
      }
    }
    const progress: number[] = [];
    const result = await diarizeWithoutModel(counted(), [{ start: 1, end: 4.5 }], {
      onProgress: (f) => progress.push(f),
    });
    expect(result.turns.length).toBeGreaterThan(0);
    expect(chunksRead).toBe(5);
    expect(closed).toBe(true);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });

  it('returns no turns without speech', async () => {
    const result = await diarizeWithoutModel(streamOf(dialogue), []);
    expect(result.turns).toEqual([]);
    expect(result.speakers).toEqual([]);
  });
});

describe('diarizeWithoutModel: errors and cancellation', () => {
  it('refuses bad options and regions with INVALID_ARGUMENT', async () => {
    const speech = all(dialogue);
    for (const options of [
      { numSpeakers: 0 },
      { minSpeakers: 1.5 },
      { minSpeakers: 3, maxSpeakers: 2 },
      { numSpeakers: 2, maxSpeakers: 3 },
      { threshold: -1 },
      { minDifferenceDb: Number.NaN },
      { maxClusterItems: 1 },
    ]) {
      await engineRejection(
        diarizeWithoutModel(streamOf(dialogue), speech, options),
        'INVALID_ARGUMENT',
      );
    }
    const error = await engineRejection(
      diarizeWithoutModel(streamOf(dialogue), [{ start: 2, end: Number.NaN }]),
      'INVALID_ARGUMENT',
    );
    expect(error.message).toMatch(/Speech region 0/);
  });

  it('rejects with CANCELLED when aborted before or while reading, and closes the audio', async () => {
    const before = new AbortController();
    before.abort();
    await engineRejection(
      diarizeWithoutModel(streamOf(dialogue), all(dialogue), { signal: before.signal }),
      'CANCELLED',
    );

    const during = new AbortController();
    let closed = false;
    async function* audio() {
      try {
        yield* streamOf(dialogue, 1);
      } finally {
        closed = true;
      }
    }
    const error = await engineRejection(
      diarizeWithoutModel(audio(), all(dialogue), {
        signal: during.signal,
        onProgress: (f) => {
          if (f > 0.2) during.abort();
        },
      }),
      'CANCELLED',
    );
    expect(error.message).toMatch(/Diarization was cancelled/);
    expect(closed).toBe(true);
  });

  it('passes on the error of the audio stream', async () => {
    async function* failing(): AsyncIterable<Float32Array> {
      yield dialogue.slice(0, 16_000);
      throw new EngineError('DECODE_FAILED', 'ffmpeg could not decode the audio.');
    }
    await engineRejection(diarizeWithoutModel(failing(), all(dialogue)), 'DECODE_FAILED');
  });
});
