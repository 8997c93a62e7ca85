import { describe, expect, it } from 'vitest';
import { liveDocument } from './save-recording';

describe('liveDocument', () => {
  it('goes through the quality guards like every transcription: a repeated loop and an unsure word are flagged', async () => {
    const word = (text: string, at: number, p = 0.95) => ({
      text,
      startMs: at,
      endMs: at + 400,
      p,
    });
    // A decoding loop (the same four words over and over) and one word Whisper was unsure of.
    const loop = Array.from({ length: 6 }, (_, i) =>
      ['we', 'will', 'be', 'right'].map((text, j) => word(text, 2000 + (i * 4 + j) * 400)),
    ).flat();
    const doc = await liveDocument(
      {
        durationMs: 15_000,
        language: 'en',
        finals: [[word('hello', 0), word('wrold', 500, 0.2), word('today', 1000)], loop],
      },
      'tiny-random',
      null,
      'broadcast',
    );
    const words = doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
    expect(words.find((w) => w.text === 'wrold')?.flags).toContain('low-confidence');
    expect(words.find((w) => w.text === 'hello')?.flags).not.toContain('low-confidence');
    expect(words.filter((w) => w.flags.includes('repetition')).length).toBeGreaterThan(0);
    expect(doc.segments.every((s) => s.lines.length <= doc.captions.rules.maxLines)).toBe(true);
  });
});
