import { describe, expect, it } from 'vitest';
import { buildDocument } from '../documents/build-document';
import { options, result, seg, tok } from '../documents/__fixtures__/whisper-result';
import type { SpeakerTurn } from '../diarization/speaker-turns';
import { assignSpeakers } from './assign-speakers';
import { speakerStats } from '../../common/speaker-stats';

/** Words 400 ms long starting at `starts` (default: 20 words, one every 500 ms), diarized. */
function diarized(turns: SpeakerTurn[], starts = Array.from({ length: 20 }, (_, i) => i * 500)) {
  const doc = buildDocument(
    result([
      seg(
        0,
        10_000,
        starts.map((at, i) => tok(` w${i}`, at, at + 400)),
      ),
    ]),
    { ...options, durationMs: 10_000 },
  );
  return assignSpeakers(doc, turns).doc;
}

describe('speakerStats', () => {
  it('samples each speaker at the start of their longest stretch, at most 5 s, ending on a word', () => {
    const doc = diarized([
      { start: 0, end: 1, speaker: 'A' }, // w0, w1: a short stretch
      { start: 1, end: 2, speaker: 'B' }, // w2, w3
      { start: 2, end: 10, speaker: 'A' }, // w4…w19: 7.9 s
    ]);
    const [a, b] = speakerStats(doc);
    expect(a).toMatchObject({ id: 'spk1', talkMs: 18 * 400, words: 18 });
    // From w4 (2000 ms) to the last word ending within 5 s: w13 ends at 6900.
    expect(a!.sample).toEqual({ start: 2000, end: 6900 });
    expect(b).toMatchObject({ id: 'spk2', words: 2, sample: { start: 1000, end: 1900 } });
  });

  it('avoids speech another voice talks over, and pauses longer than a second', () => {
    const doc = diarized([
      { start: 0, end: 10, speaker: 'A' },
      // B talks over w2…w5 (1000–2900): A's clean stretches are w0–w1 and w6–w19.
      { start: 0.95, end: 2.95, speaker: 'B' },
    ]);
    const words = doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
    expect(words.filter((w) => w.flags.includes('overlap'))).toHaveLength(4);
    const [a, b] = speakerStats(doc);
    expect(a!.sample).toEqual({ start: 3000, end: 7900 });
    // B covers no word more than A does, so every word is A's and B is not listed.
    expect(b).toBeUndefined();

    // A pause of more than a second splits a stretch: 0–1900 (four words), then 3500–4900.
    const paused = diarized(
      [{ start: 0, end: 10, speaker: 'A' }],
      [0, 500, 1000, 1500, 3500, 4000, 4500],
    );
    const [alone] = speakerStats(paused);
    expect(alone!.sample).toEqual({ start: 0, end: 1900 });
  });

  it('has no sample for unassigned words', () => {
    const doc = diarized([{ start: 0, end: 0.4, speaker: 'A' }]);
    const stats = speakerStats(doc);
    expect(stats.at(-1)).toMatchObject({ id: null, name: 'Unassigned', sample: null });
  });
});
