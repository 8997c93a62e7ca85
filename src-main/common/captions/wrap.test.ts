import { describe, expect, it } from 'vitest';
import type { CaptionRules, TranscriptDocument } from '../../contract/document';
import { transcriptDocument } from '../../contract/document';
import {
  allWords,
  captionLines,
  makeDocument,
  timedWords,
  type WordSpec,
} from './__fixtures__/make-document';
import { lintCaptions } from './lint';
import { broadcastRules, socialRules } from './presets';
import { textLength } from './text-length';
import { wrapDocument } from './wrap';

const broadcast = broadcastRules();
const social = socialRules();

/** Rules for small hand-checked examples: `chars` per line, everything else permissive. */
function narrow(chars: number, lines = 2): CaptionRules {
  return {
    maxCharsPerLine: chars,
    maxLines: lines,
    maxCharsPerSecond: 1000,
    minDurationMs: 0,
    maxDurationMs: 60_000,
    minGapMs: 0,
  };
}

const wrap = (words: WordSpec[], rules: CaptionRules, durationMs?: number) =>
  wrapDocument(makeDocument([words], { rules, durationMs }), rules);

const NEWS =
  "Good evening and welcome to the nine o'clock news. Tonight the prime minister has announced " +
  'a new plan for the railways, which critics say is too little, too late. | Our political ' +
  'editor reports from Westminster, where the debate continues late into the night.';

/** Every invariant of the contract that wrapping must keep. */
function expectValidCaptions(doc: TranscriptDocument) {
  expect(() => transcriptDocument.parse(doc)).not.toThrow();
  let previousEnd = -Infinity;
  for (const segment of doc.segments) {
    expect(segment.start).toBeGreaterThanOrEqual(previousEnd);
    const words = segment.lines.flatMap((l) => l.words);
    expect(segment.start).toBe(words[0]?.start);
    expect(segment.end).toBeGreaterThanOrEqual(words.at(-1)?.end ?? Infinity);
    expect(new Set(words.map((w) => w.speaker)).size).toBe(1);
    expect(segment.speaker).toBe(words[0]?.speaker);
    for (const line of segment.lines) {
      expect(line.start).toBe(line.words[0]?.start);
      expect(line.end).toBe(line.words.at(-1)?.end);
    }
    previousEnd = segment.end;
  }
}

describe('wrapDocument', () => {
  it('keeps every word, in order, with its id, text, times and other fields', () => {
    const doc = makeDocument([timedWords(NEWS, { gapMs: 20 })]);
    const words = allWords(doc);
    for (const rules of [broadcast, social]) {
      const wrapped = wrapDocument(doc, rules);
      const after = allWords(wrapped);
      expect(after.map(({ structure: _, ...w }) => w)).toEqual(
        words.map(({ structure: _, ...w }) => w),
      );
      expectValidCaptions(wrapped);
    }
  });

  it('never exceeds the characters per line or the line count', () => {
    const doc = makeDocument([timedWords(NEWS, { gapMs: 20 })]);
    for (const rules of [broadcast, social, narrow(12, 3)]) {
      const wrapped = wrapDocument(doc, rules);
      for (const lines of captionLines(wrapped)) {
        expect(lines.length).toBeLessThanOrEqual(rules.maxLines);
        for (const line of lines)
          expect(textLength(line)).toBeLessThanOrEqual(rules.maxCharsPerLine);
      }
      const violations = lintCaptions(wrapped, rules);
      expect(violations.filter((v) => v.rule === 'chars-per-line' || v.rule === 'lines')).toEqual(
        [],
      );
    }
  });

  it('wraps the news example the way a subtitler would', () => {
    const doc = makeDocument([timedWords(NEWS, { gapMs: 20 })]);
    expect(captionLines(wrapDocument(doc, broadcast))).toEqual([
      ['Good evening and welcome', "to the nine o'clock news."],
      ['Tonight the prime minister has', 'announced a new plan for the railways,'],
      ['which critics say is too little, too late.'],
      ['Our political editor', 'reports from Westminster,'],
      ['where the debate continues', 'late into the night.'],
    ]);
  });

  it('counts characters as a reader sees them (graphemes), not UTF-16 units', () => {
    // "café" with a combining accent is 5 UTF-16 units but 4 characters.
    const cafe = 'cafe\u0301';
    const words = timedWords(`${cafe} ${cafe} ${cafe}`);
    expect(captionLines(wrap(words, narrow(14, 1)))).toEqual([[`${cafe} ${cafe} ${cafe}`]]);
    expect(captionLines(wrap(words, narrow(13, 1)))).toHaveLength(2);
  });

  it('keeps text that fits on one line on one line', () => {
    expect(captionLines(wrap(timedWords('Short and sweet.'), broadcast))).toEqual([
      ['Short and sweet.'],
    ]);
  });

  it('balances the lines of a two-line caption', () => {
    // Filling the first line would give 42 characters over "dog." alone.
    const orphan = timedWords('The quick brown fox jumped over a lazy old dog.');
    expect(captionLines(wrap(orphan, narrow(42)))).toEqual([
      ['The quick brown fox jumped', 'over a lazy old dog.'],
    ]);
    const long = timedWords(
      'The quick brown fox jumps over the lazy dog and then runs far away now',
    );
    expect(captionLines(wrap(long, narrow(42)))).toEqual([
      ['The quick brown fox jumps over the', 'lazy dog and then runs far away now'],
    ]);
  });

  it('prefers a bottom-heavy caption when two breaks balance equally', () => {
    // Breaking after word 2 gives 9 + 14 characters, after word 3 gives 14 + 9.
    const words = timedWords('aaaa bbbb cccc dddd eeee');
    expect(captionLines(wrap(words, narrow(14)))).toEqual([['aaaa bbbb', 'cccc dddd eeee']]);
  });

  it('breaks lines after sentence punctuation, then clause punctuation, over balance', () => {
    const clause = timedWords('We looked everywhere for it, but the keys were gone');
    expect(captionLines(wrap(clause, narrow(42)))).toEqual([
      ['We looked everywhere for it,', 'but the keys were gone'],
    ]);
    const sentence = timedWords('She left, and we stayed. Then the rain began again');
    expect(captionLines(wrap(sentence, narrow(42)))).toEqual([
      ['She left, and we stayed.', 'Then the rain began again'],
    ]);
    // Without punctuation the same words balance evenly instead.
    const bare = timedWords('She left and we stayed then the rain began again');
    expect(captionLines(wrap(bare, narrow(42)))).toEqual([
      ['She left and we stayed', 'then the rain began again'],
    ]);
  });

  it('ends captions at sentence ends rather than mid-sentence', () => {
    const words = timedWords(
      'The results are in and they are good. Everyone on the team worked very hard',
    );
    expect(captionLines(wrap(words, narrow(42, 1)))).toEqual([
      ['The results are in and they are good.'],
      ['Everyone on the team worked very hard'],
    ]);
  });

  it('breaks lines at pauses', () => {
    const words = timedWords('we walked down to the river |400 and sat there until dark came');
    expect(captionLines(wrap(words, narrow(42)))).toEqual([
      ['we walked down to the river', 'and sat there until dark came'],
    ]);
    const shifted = timedWords('we walked down to the river and |400 sat there until dark came');
    expect(captionLines(wrap(shifted, narrow(42)))).toEqual([
      ['we walked down to the river and', 'sat there until dark came'],
    ]);
  });

  it('ends a caption at a clear pause even when the text would fit in one', () => {
    const words = timedWords('I waited. | Nobody came.');
    expect(captionLines(wrap(words, broadcast))).toEqual([['I waited.'], ['Nobody came.']]);
    const noPause = timedWords('I waited. Nobody came.');
    expect(captionLines(wrap(noPause, broadcast))).toEqual([['I waited. Nobody came.']]);
  });

  it('starts a new caption on every speaker change', () => {
    const words = [
      ...timedWords('Are you coming?', { speaker: 'A' }),
      ...timedWords('Yes.', { speaker: 'B', start: 900 }),
      ...timedWords('Good.', { speaker: 'A', start: 1200 }),
    ];
    const wrapped = wrap(words, broadcast);
    expect(captionLines(wrapped)).toEqual([['Are you coming?'], ['Yes.'], ['Good.']]);
    expect(wrapped.segments.map((s) => s.speaker)).toEqual(['A', 'B', 'A']);
  });

  it('never splits a word; a word longer than a line gets a line of its own', () => {
    const long = 'Pneumonoultramicroscopicsilicovolcanoconiosis'; // 45 characters
    const words = timedWords(`It is called ${long} apparently`);
    const wrapped = wrap(words, broadcast);
    expect(captionLines(wrapped)).toEqual([['It is called'], [long, 'apparently']]);
    const violations = lintCaptions(wrapped, broadcast).filter((v) => v.rule === 'chars-per-line');
    expect(violations).toMatchObject([
      { rule: 'chars-per-line', segmentIndex: 1, lineIndex: 0, actual: 45, limit: 42 },
    ]);
    expect(allWords(wrapped).map((w) => w.text)).toEqual(words.map((w) => w.text));
  });

  it('splits a caption whose words span more than the maximum duration', () => {
    // Short enough for one line, but 6 words of 1.5 s each span 9 s > 7 s.
    const words = timedWords('one two three four five six', { wordMs: 1500 });
    const wrapped = wrap(words, broadcast);
    expect(captionLines(wrapped)).toEqual([['one two three'], ['four five six']]);
    expect(lintCaptions(wrapped, broadcast).filter((v) => v.rule === 'max-duration')).toEqual([]);
  });

  it('keeps a single word that alone lasts longer than the maximum duration', () => {
    const wrapped = wrap([{ text: 'Ommmmm', start: 0, end: 9000 }], broadcast);
    expect(captionLines(wrapped)).toEqual([['Ommmmm']]);
    expect(lintCaptions(wrapped, broadcast)).toMatchObject([{ rule: 'max-duration' }]);
  });

  it('splits a caption that cannot be shown long enough to read within the maximum duration', () => {
    // At 8 characters per second the 72 characters need 9 s, but a caption shows at most 7 s.
    // Split, the slow first half has time to be read before the second half starts.
    const rules = { ...broadcast, maxCharsPerSecond: 8 };
    const words = [
      ...timedWords('Slowly and carefully, we lift the lid', { wordMs: 650 }),
      ...timedWords('and find a small brass key inside.', { start: 4750, wordMs: 250 }),
    ];
    const relaxed = wrap(words, { ...rules, maxCharsPerSecond: 1000 }, 20_000);
    expect(relaxed.segments).toHaveLength(1);
    expect(lintCaptions(relaxed, rules)).toMatchObject([{ rule: 'chars-per-second' }]);

    const wrapped = wrap(words, rules, 20_000);
    expect(captionLines(wrapped)).toEqual([
      ['Slowly and carefully, we lift the lid'],
      ['and find a small brass key inside.'],
    ]);
    expect(lintCaptions(wrapped, rules)).toEqual([]);
  });

  it('does not split off a sentence that would then be too fast to read', () => {
    // The sentence break and the pause invite a split, but the first sentence alone could be
    // shown for only 1.72 s: 37 characters at 21.5 per second. Together they extend into the
    // silence that follows.
    const words = timedWords(
      'The committee met on Tuesday morning. |600 It voted. |3000 Next item',
      {
        wordMs: 200,
      },
    );
    const relaxed = wrap(words, { ...broadcast, maxCharsPerSecond: 1000 });
    expect(captionLines(relaxed)).toEqual([
      ['The committee met on Tuesday morning.'],
      ['It voted.'],
      ['Next item'],
    ]);
    const wrapped = wrap(words, broadcast);
    expect(captionLines(wrapped)).toEqual([
      ['The committee met on Tuesday morning.', 'It voted.'],
      ['Next item'],
    ]);
    expect(lintCaptions(wrapped, broadcast)).toEqual([]);
  });

  it('extends a short caption toward the minimum duration, keeping the gap to the next', () => {
    const far = wrap(
      [...timedWords('Yes.', { start: 0 }), ...timedWords('Then we left.', { start: 3000 })],
      broadcast,
    );
    expect(far.segments.map((s) => [s.start, s.end])).toEqual([
      [0, 1000],
      [3000, 4000],
    ]);
    const near = wrap(
      [...timedWords('Yes.', { start: 0 }), ...timedWords('Then we left.', { start: 900 })],
      broadcast,
    );
    expect(near.segments.map((s) => [s.start, s.end])).toEqual([
      [0, 900 - 80],
      [900, 1900],
    ]);
    expect(lintCaptions(near, broadcast)).toMatchObject([
      { rule: 'min-duration', segmentIndex: 0, actual: 820, limit: 1000 },
    ]);
  });

  it('extends a caption for reading time up to the gap before the next one', () => {
    // 37 characters at 17 per second need 2177 ms; the words last 1200 ms.
    const words = [
      ...timedWords('The committee met on Tuesday morning.', { wordMs: 200 }),
      ...timedWords('Next.', { start: 2000 }),
    ];
    const wrapped = wrap(words, broadcast);
    expect(wrapped.segments[0]?.end).toBe(2000 - broadcast.minGapMs);
  });

  it('does not extend the last caption past the end of the media', () => {
    const wrapped = wrap(timedWords('Bye.', { start: 5000 }), broadcast, 5500);
    expect(wrapped.segments[0]?.end).toBe(5500);
  });

  it('keeps the minimum gap where the words allow it, and reports it where they do not', () => {
    const doc = makeDocument([timedWords(NEWS, { gapMs: 20 })]);
    const wrapped = wrapDocument(doc, broadcast);
    const words = allWords(wrapped);
    const branches = new Set<string>();
    const gaps = wrapped.segments.slice(1).map((segment, i) => {
      const gap = segment.start - (wrapped.segments[i]?.end ?? 0);
      const firstIndex = words.findIndex((w) => w.id === segment.lines[0]?.words[0]?.id);
      const wordGap = segment.start - (words[firstIndex - 1]?.end ?? 0);
      if (wordGap >= broadcast.minGapMs) {
        // After a pause the caption before may extend, but only up to the gap.
        expect(gap).toBeGreaterThanOrEqual(broadcast.minGapMs);
        branches.add('room');
      } else {
        // Where speech runs on (20 ms between words) a caption cannot end before its last word.
        expect(gap).toBe(wordGap);
        branches.add('no room');
      }
      return gap;
    });
    expect(branches).toEqual(new Set(['room', 'no room']));
    const reported = lintCaptions(wrapped, broadcast).filter((v) => v.rule === 'min-gap');
    expect(reported.map((v) => v.actual)).toEqual(gaps.filter((g) => g < broadcast.minGapMs));
  });

  it('prefers caption breaks where the words leave room for the gap', () => {
    // 50 characters need two one-line captions; the 100 ms pause is a better place than the
    // 20 ms one that balances the text more evenly.
    const words = timedWords('one two three four five six seven |100 eight nine ten eleven', {
      gapMs: 20,
    });
    const wrapped = wrap(words, { ...broadcast, maxLines: 1, maxCharsPerLine: 36 });
    expect(captionLines(wrapped)).toEqual([
      ['one two three four five six seven'],
      ['eight nine ten eleven'],
    ]);
  });

  it('records the rules and the preset in the document', () => {
    const doc = makeDocument([timedWords('Hello there.')]);
    expect(wrapDocument(doc, broadcast).captions).toEqual({
      preset: 'broadcast',
      rules: broadcast,
    });
    expect(wrapDocument(doc, social).captions).toEqual({ preset: 'custom', rules: social });
    expect(wrapDocument(doc, social, { preset: 'social' }).captions.preset).toBe('social');
  });

  it('keeps segment ids of captions that start with the same word, derives the others', () => {
    const doc = makeDocument([
      timedWords('Hello there.'),
      timedWords('How are you today? I am fine', { start: 2000 }),
    ]);
    const wrapped = wrapDocument(doc, narrow(20, 1));
    expect(captionLines(wrapped)).toEqual([
      ['Hello there.'],
      ['How are you today?'],
      ['I am fine'],
    ]);
    expect(wrapped.segments.map((s) => s.id)).toEqual(['s0', 's1', 'seg-w6']);
  });

  it('is idempotent', () => {
    const doc = makeDocument([timedWords(NEWS, { gapMs: 20 })]);
    for (const rules of [broadcast, social]) {
      const once = wrapDocument(doc, rules);
      expect(wrapDocument(once, rules)).toEqual(once);
    }
  });

  it('recomputes structure tags', () => {
    const doc = makeDocument([timedWords('one two three four five six')]);
    const wrapped = wrapDocument(doc, narrow(10, 2));
    expect(captionLines(wrapped)).toEqual([['one two'], ['three four', 'five six']]);
    expect(allWords(wrapped).map((w) => w.structure)).toEqual([
      ['line-first', 'segment-first', 'document-first'],
      ['line-last', 'segment-last'],
      ['line-first', 'segment-first'],
      ['line-last'],
      ['line-first'],
      ['line-last', 'segment-last', 'document-last'],
    ]);
  });

  it('returns an empty document unchanged in shape', () => {
    const doc = makeDocument([]);
    expect(wrapDocument(doc, broadcast).segments).toEqual([]);
  });

  it('keeps every invariant on random documents', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const syllables = ['ka', 'lo', 'mi', 'tre', 'sun', 'dor', 'a', 'e'];
    const endings = ['', '', '', '', ',', '.', '?'];
    for (let round = 0; round < 20; round++) {
      let t = Math.floor(random() * 500);
      const words: WordSpec[] = [];
      for (let k = 0; k < 200; k++) {
        const length = 1 + Math.floor(random() * (random() < 0.02 ? 30 : 4));
        const text =
          Array.from({ length }, () => syllables[Math.floor(random() * syllables.length)]).join(
            '',
          ) + (endings[Math.floor(random() * endings.length)] ?? '');
        const duration = 50 + Math.floor(random() * 600);
        const speaker = random() < 0.05 ? 'B' : 'A';
        words.push({ text, start: t, end: t + duration, speaker });
        t += duration + (random() < 0.2 ? Math.floor(random() * 2500) : 0);
      }
      const doc = makeDocument([words]);
      for (const rules of [broadcast, social, narrow(20, 3)]) {
        const wrapped = wrapDocument(doc, rules);
        expectValidCaptions(wrapped);
        expect(allWords(wrapped).map((w) => w.id)).toEqual(allWords(doc).map((w) => w.id));
        for (const v of lintCaptions(wrapped, rules)) {
          // Only the unavoidable: an overlong single word, a single word longer than the maximum
          // duration, or timing the words themselves impose.
          if (v.rule === 'chars-per-line') {
            expect(wrapped.segments[v.segmentIndex]?.lines[v.lineIndex ?? -1]?.words).toHaveLength(
              1,
            );
          }
          expect(v.rule).not.toBe('lines');
          expect(v.rule).not.toBe('overlap');
          if (v.rule === 'max-duration') {
            expect(wrapped.segments[v.segmentIndex]?.lines.flatMap((l) => l.words)).toHaveLength(1);
          }
        }
        expect(wrapDocument(wrapped, rules)).toEqual(wrapped);
      }
    }
  });

  it('wraps a long document quickly', () => {
    const sentence = 'and so the long story went on, | as stories do, for hours and hours. ';
    const doc = makeDocument([timedWords(sentence.repeat(1500), { gapMs: 30 })]);
    const started = performance.now();
    const wrapped = wrapDocument(doc, broadcast);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(allWords(wrapped)).toHaveLength(allWords(doc).length);
  });
});
