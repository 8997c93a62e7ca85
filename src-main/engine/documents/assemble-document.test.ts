import { afterAll, describe, expect, it } from 'vitest';
import { presetRules } from '../captions/presets';
import type { WhisperSegment } from '../whisper/addon';
import { assembleDocument, type AssembleInput } from './assemble-document';
import { createDocumentWorker } from './document-worker';

/** Whisper's segments for 3 hours of speech: a word every 330 ms, ten words a segment. */
function longInput(): AssembleInput {
  const words = ['we', 'choose', 'to', 'go', 'to', 'the', 'moon', 'in', 'this', 'decade'];
  const durationMs = 3 * 3600 * 1000;
  const segments: WhisperSegment[] = [];
  for (let t = 0, index = 0; t + 3300 <= durationMs; t += 3600, index += 1) {
    const tokens = words.map((word, i) => ({
      id: i,
      text: ` ${word}`,
      p: i === 3 ? 0.3 : 0.9,
      plog: Math.log(i === 3 ? 0.3 : 0.9),
      t0: t + i * 330,
      t1: t + i * 330 + 300,
      tDtw: null,
      special: false,
    }));
    segments.push({
      index,
      t0: t,
      t1: t + 3300,
      text: tokens.map((token) => token.text).join(''),
      noSpeechProb: 0,
      tokens,
    });
  }
  // Speakers change every 20 s, as a diarizer would say.
  const turns = Array.from({ length: durationMs / 20_000 }, (_, i) => ({
    start: i * 20,
    end: (i + 1) * 20,
    speaker: `ch-${(i % 2) + 1}`,
  }));
  return {
    from: {
      segments,
      language: 'en',
      source: {
        durationMs,
        modelId: 'tiny-random',
        modelSha256: null,
        params: {},
        engineVersion: 'test',
        createdAt: new Date('2026-12-07T00:00:00Z'),
        captions: { preset: 'broadcast', rules: presetRules('broadcast') },
      },
    },
    speakers: { turns, channels: 2, note: null },
    finish: {
      params: {
        lowConfidence: 0.5,
        preset: 'broadcast',
        glossary: {
          terms: [{ term: 'Moon', soundsLike: [], fixCase: true }],
          rules: [{ match: 'decade', replace: 'Decade', mode: 'whole-word' }],
          targets: ['Moon'],
        },
      },
      rules: presetRules('broadcast'),
      speech: null,
    },
  };
}

/** The longest the event loop was held while `work` ran, by a 2 ms interval. */
async function longestBlock<T>(work: () => Promise<T>): Promise<{ result: T; blockMs: number }> {
  let last = performance.now();
  let blockMs = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    blockMs = Math.max(blockMs, now - last);
    last = now;
  }, 2);
  try {
    const result = await work();
    blockMs = Math.max(blockMs, performance.now() - last);
    return { result, blockMs };
  } finally {
    clearInterval(probe);
  }
}

const worker = createDocumentWorker();
afterAll(() => worker.close());

describe('assembling a transcription document', () => {
  it('gives the same 3-hour document in the worker thread as inline, without holding the event loop', async () => {
    const input = longInput();
    const inline = await longestBlock(() => assembleDocument(input));
    // The first request starts the thread; the second shows the steady state.
    await worker.assemble(longInput());
    const off = await longestBlock(() => worker.assemble(input));
    expect(off.result).toEqual(inline.result);
    const words = off.result.doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
    expect(words.length).toBe(30_000);
    expect(new Set(words.map((w) => w.speaker))).toEqual(new Set(['spk1', 'spk2']));
    expect(off.result.doc.speakers.map((s) => s.name)).toEqual(['Left', 'Right']);
    expect(words.some((w) => w.text === 'Decade')).toBe(true);
    expect(off.result.doc.targetCounts).toMatchObject({ Moon: expect.any(Number) });
    console.log(
      `3-hour document: inline held the loop ${inline.blockMs.toFixed(0)} ms, the worker ${off.blockMs.toFixed(0)} ms`,
    );
    expect(inline.blockMs).toBeGreaterThan(100);
    expect(off.blockMs).toBeLessThan(50);
  }, 120_000);
});
